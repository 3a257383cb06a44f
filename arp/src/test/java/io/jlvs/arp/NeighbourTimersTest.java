package io.jlvs.arp;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NeighbourTimersTest
{
    @Test
    void defaultsAreLinuxArpDefaults()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(30), NeighbourTimers.DEFAULT.reachableNs());
        assertEquals(TimeUnit.SECONDS.toNanos(1), NeighbourTimers.DEFAULT.probeIntervalNs());
        assertEquals(3, NeighbourTimers.DEFAULT.maxProbes());
        assertEquals(TimeUnit.SECONDS.toNanos(5), NeighbourTimers.DEFAULT.failedProbeIntervalNs());
    }

    @Test
    void withersChangeOneTimerAndLeaveTheOriginalAlone()
    {
        final NeighbourTimers timers = NeighbourTimers.DEFAULT.reachableNs(10).probeIntervalNs(2).maxProbes(5)
            .failedProbeIntervalNs(7);

        assertEquals(10, timers.reachableNs());
        assertEquals(2, timers.probeIntervalNs());
        assertEquals(5, timers.maxProbes());
        assertEquals(7, timers.failedProbeIntervalNs());
        assertEquals(NeighbourTimers.DEFAULT_REACHABLE_NS, NeighbourTimers.DEFAULT.reachableNs());
    }

    @Test
    void rejectsTimersThatCouldNeverFire()
    {
        assertThrows(IllegalArgumentException.class, () -> NeighbourTimers.DEFAULT.reachableNs(0));
        assertThrows(IllegalArgumentException.class, () -> NeighbourTimers.DEFAULT.probeIntervalNs(-1));
        assertThrows(IllegalArgumentException.class, () -> NeighbourTimers.DEFAULT.maxProbes(0));
        assertThrows(IllegalArgumentException.class, () -> NeighbourTimers.DEFAULT.failedProbeIntervalNs(0));
    }

    @Test
    void customTimersDriveTheTable()
    {
        final NeighbourTable table = new NeighbourTable(NeighbourTimers.DEFAULT.maxProbes(1).probeIntervalNs(100));
        final RecordingProbeSink sink = new RecordingProbeSink();
        final int address = NeighbourTableTest.ip(198, 18, 0, 11);
        table.wanted(new int[]{ address });

        table.poll(0, sink);
        table.poll(99, sink);
        assertEquals(NeighbourState.INCOMPLETE, table.state(address));
        table.poll(100, sink);

        assertEquals(NeighbourState.FAILED, table.state(address));
    }
}
