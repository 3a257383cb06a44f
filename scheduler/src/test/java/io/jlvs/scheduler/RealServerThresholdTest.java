package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picksCountingActive;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealServerThresholdTest
{
    private static RealServer server()
    {
        return new RealServer(0, Ipv4.parse("198.18.1.1"), 80, 1);
    }

    @Test
    void overloadsWhenActivePlusInactiveReachesTheUpperThreshold()
    {
        final RealServer server = server().upperThreshold(3);
        server.addActiveConns(1);
        server.addInactiveConns(1);
        assertFalse(server.isOverloaded());
        server.addInactiveConns(1);
        assertTrue(server.isOverloaded());
    }

    @Test
    void clearsOnlyBelowTheLowerThreshold()
    {
        final RealServer server = server().thresholds(4, 2);
        server.addActiveConns(4);
        assertTrue(server.isOverloaded());
        server.addActiveConns(-1);
        assertTrue(server.isOverloaded(), "3 is not below 2");
        server.addActiveConns(-1);
        assertTrue(server.isOverloaded(), "2 is not below 2");
        server.addActiveConns(-1);
        assertFalse(server.isOverloaded());
    }

    @Test
    void withoutLowerThresholdClearsBelowThreeQuartersOfTheUpperOne()
    {
        final RealServer server = server().upperThreshold(8);
        server.addActiveConns(8);
        assertTrue(server.isOverloaded());
        server.addActiveConns(-2);
        assertTrue(server.isOverloaded(), "6 * 4 < 8 * 3 is false");
        server.addActiveConns(-1);
        assertFalse(server.isOverloaded(), "5 * 4 < 8 * 3");
        server.addActiveConns(2);
        assertFalse(server.isOverloaded(), "hysteresis: 7 stays below the upper threshold");
        server.addActiveConns(1);
        assertTrue(server.isOverloaded());
    }

    @Test
    void withoutAnyThresholdAnUnbindClearsTheFlag()
    {
        final RealServer server = server();
        server.addActiveConns(5);
        server.overloaded(true);
        server.addActiveConns(-1);
        assertFalse(server.isOverloaded());
    }

    @Test
    void persistentTemplateBindChecksTheUpperThresholdButIsNotCounted()
    {
        final RealServer server = server().upperThreshold(10);
        server.addActiveConns(3);
        server.upperThreshold(3);
        assertFalse(server.isOverloaded(), "lowering the threshold takes effect at the next bind");
        server.addPersistentConns(1);
        assertTrue(server.isOverloaded());
        assertEquals(3, server.totalConns());
        server.upperThreshold(5);
        server.addPersistentConns(4);
        assertFalse(server.isOverloaded(), "templates are not in the total");
    }

    @Test
    void raisingOrRemovingTheUpperThresholdClearsTheFlagLoweringKeepsIt()
    {
        final RealServer server = server().upperThreshold(4);
        server.addActiveConns(4);
        assertTrue(server.isOverloaded());
        server.upperThreshold(3);
        assertTrue(server.isOverloaded());
        server.upperThreshold(6);
        assertFalse(server.isOverloaded());
        server.upperThreshold(4);
        assertFalse(server.isOverloaded(), "cleared stays cleared until the next bind");
        server.addInactiveConns(1);
        assertTrue(server.isOverloaded());
        server.upperThreshold(0);
        assertFalse(server.isOverloaded());
    }

    @Test
    void stateChangeBetweenActiveAndInactiveChecksNoThreshold()
    {
        final RealServer server = server().thresholds(4, 3);
        server.addActiveConns(4);
        server.addActiveConns(-1);
        assertTrue(server.isOverloaded());
        server.activeToInactive();
        server.activeToInactive();
        assertTrue(server.isOverloaded(), "the total is unchanged at 3");
        assertEquals(1, server.activeConns());
        assertEquals(2, server.inactiveConns());
        server.inactiveToActive();
        assertEquals(2, server.activeConns());
        assertEquals(1, server.inactiveConns());
    }

    @Test
    void rejectsLowerThresholdAboveUpperAndNegativeValues()
    {
        assertThrows(IllegalArgumentException.class, () -> server().thresholds(2, 3));
        assertThrows(IllegalArgumentException.class, () -> server().upperThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> server().lowerThreshold(-1));
    }

    @Test
    void lastWeightKeepsTheLatestNonZeroWeight()
    {
        final RealServer server = new RealServer(0, 1, 80, 5);
        assertEquals(5, server.lastWeight());
        server.weight(0);
        assertEquals(5, server.lastWeight());
        server.weight(7);
        assertEquals(7, server.lastWeight());
        assertEquals(0, new RealServer(1, 1, 80, 0).lastWeight());
    }

    @Test
    void overloadedServerGetsNoNewConnectionsUntilItDrainsBelowTheLowerThreshold()
    {
        final RealServer[] servers = withWeights(1, 1);
        servers[0].thresholds(2, 1);
        final Scheduler wlc = Schedulers.create("wlc", servers, null);
        // A, B, A (A reaches 2: overloaded), then B only.
        assertEquals("ABABBB", picksCountingActive(wlc, 6));
        servers[0].addActiveConns(-1);
        assertEquals("B", picksCountingActive(wlc, 1), "1 is not below the lower threshold 1");
        servers[0].addActiveConns(-1);
        assertEquals("A", picksCountingActive(wlc, 1));
    }
}
