package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulersTest
{
    @Test
    void registersEveryIpvsSchedulerUnderItsIpvsName()
    {
        final List<String> names = new ArrayList<>();
        Schedulers.names().forEach(names::add);
        for (final String name : List.of("rr", "wrr", "lc", "wlc", "sed", "nq", "lblc", "lblcr", "dh", "sh", "mh",
            "fo", "ovf", "twos"))
        {
            assertTrue(names.contains(name), name + " missing from " + names);
            assertEquals(name, Schedulers.create(name, Servers.withWeights(1), null).name());
        }
    }

    @Test
    void loadsAResearchersSchedulerByNameFromTheServiceFile()
    {
        final RealServer[] servers = Servers.withWeights(0, 1, 1);
        final Scheduler scheduler = Schedulers.create(ExampleFirstAvailableScheduler.NAME, servers, null);
        assertEquals(ExampleFirstAvailableScheduler.NAME, scheduler.name());
        assertEquals("BB", Servers.picks(scheduler, 2));
    }

    @Test
    void defaultIsWlc()
    {
        assertEquals("wlc", Schedulers.create(Schedulers.DEFAULT, Servers.withWeights(1), null).name());
    }

    @Test
    void unknownNameErrorListsTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Schedulers.create("nope", Servers.withWeights(1), SchedulerFlags.NONE));
        assertTrue(ex.getMessage().contains("'nope'"), ex.getMessage());
        for (final String name : Schedulers.names())
        {
            assertTrue(ex.getMessage().contains(name), ex.getMessage());
        }
    }

    @Test
    void rejectsNullServersAndDuplicateIds()
    {
        assertThrows(IllegalArgumentException.class, () -> Schedulers.create("rr", new RealServer[] {null}, null));
        final RealServer a = new RealServer(7, 1, 80, 1);
        final RealServer b = new RealServer(7, 2, 80, 1);
        assertThrows(IllegalArgumentException.class, () -> Schedulers.create("rr", new RealServer[] {a, b}, null));
    }
}
