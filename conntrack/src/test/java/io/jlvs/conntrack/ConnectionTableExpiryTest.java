package io.jlvs.conntrack;

import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.EXPIRY_RESOLUTION_NS;
import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.ConnectionTableTcpTest.ALL;
import static io.jlvs.conntrack.ConnectionTableTcpTest.CLIENT;
import static io.jlvs.conntrack.ConnectionTableTcpTest.T0;
import static io.jlvs.conntrack.ConnectionTableTcpTest.TCP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.UDP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VIP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VPORT;
import static io.jlvs.conntrack.ConnectionTableTcpTest.seconds;
import static io.jlvs.conntrack.TcpFlags.ACK;
import static io.jlvs.conntrack.TcpFlags.RST;
import static io.jlvs.conntrack.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTableExpiryTest
{
    private static final int SERVER = 1;

    private final CountingListener counts = new CountingListener();

    private static int established(final ConnectionTable table, final int port, final long nowNs)
    {
        final int h = table.insert(TCP, CLIENT, port, VIP, VPORT, SERVER, NO_ENTRY, nowNs);
        table.onPacket(h, SYN, nowNs);
        table.onPacket(h, ACK, nowNs);
        return h;
    }

    @Test
    void eachCallDoesAtMostItsBudgetOfWork()
    {
        final ConnectionTable table = new ConnectionTable(1000, Timeouts.ipvsDefaults(), counts, 1);
        for (int i = 0; i < 1000; i++)
        {
            table.insert(UDP, CLIENT, i, VIP, 53, SERVER, NO_ENTRY, T0 + i * seconds(1) / 10);
        }
        final long now = T0 + seconds(500);
        final int budget = 32;
        int calls = 0;
        int expired = 0;
        while (table.size() > 0)
        {
            final int scheduledBefore = table.scheduledCount();
            final int n = table.expire(now, budget);
            assertTrue(table.lastExpireWork() <= budget, "work " + table.lastExpireWork());
            assertTrue(n <= budget);
            assertTrue(scheduledBefore - table.scheduledCount() <= budget);
            expired += n;
            calls++;
            assertTrue(calls < 100_000, "expiry makes progress");
        }
        assertEquals(1000, expired);
        assertEquals(1000, table.expiredTotal());
        assertTrue(calls > 1000 / budget, "needed several calls: " + calls);
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void workDependsOnTimePassedNotOnTableSize()
    {
        final int entries = 50_000;
        final ConnectionTable table = new ConnectionTable(entries, Timeouts.ipvsDefaults(), counts, 2);
        for (int i = 0; i < entries; i++)
        {
            established(table, i, T0);
        }
        table.expire(T0, ALL);
        final long oneSecond = seconds(1);
        assertEquals(0, table.expire(T0 + oneSecond, ALL));
        final long ticksInASecond = oneSecond / EXPIRY_RESOLUTION_NS + 1;
        assertTrue(table.lastExpireWork() <= ticksInASecond, "work " + table.lastExpireWork());
        assertEquals(entries, table.size());
    }

    @Test
    void busyConnectionOutlivesWheelTurnsWhileIdleOneExpires()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 3);
        final int busy = established(table, 1000, T0);
        final int idle = established(table, 1001, T0);
        // 40 minutes, more than two turns of the wheel, one packet every 10 s on the busy connection.
        for (long t = T0; t <= T0 + seconds(2400); t += seconds(10))
        {
            table.onPacket(busy, ACK, t);
            table.expire(t, ALL);
        }
        assertTrue(table.isLive(busy));
        assertFalse(table.isLive(idle));
        assertEquals("1/0/0", counts.of(SERVER));
    }

    @Test
    void shorterTimeoutAfterAStateChangeTakesEffectAtOnce()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 4);
        final int h = established(table, 1000, T0);
        table.onPacket(h, RST, T0 + seconds(1));
        table.expire(T0 + seconds(11) - 1, ALL);
        assertTrue(table.isLive(h));
        table.expire(T0 + seconds(11) + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(h));
    }

    @Test
    void timeoutLongerThanOneWheelTurnExpiresOnTime()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 5);
        final long twoHours = seconds(7200);
        final int t = table.insertTemplate(TCP, CLIENT, VIP, VPORT, SERVER, twoHours, T0);
        for (long now = T0; now < T0 + twoHours; now += seconds(30))
        {
            table.expire(now, ALL);
        }
        table.expire(T0 + twoHours - 1, ALL);
        assertTrue(table.isLive(t));
        table.expire(T0 + twoHours + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(t));
    }

    @Test
    void worksWithANegativeClock()
    {
        final long start = -seconds(5);
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 6);
        final int h = table.insert(UDP, CLIENT, 53, VIP, 53, SERVER, NO_ENTRY, start);
        table.expire(start + seconds(300) - 1, ALL);
        assertTrue(table.isLive(h));
        table.expire(start + seconds(300) + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(h));
    }

    @Test
    void clockGoingBackwardsExpiresNothing()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 7);
        final int h = table.insert(UDP, CLIENT, 53, VIP, 53, SERVER, NO_ENTRY, T0);
        table.expire(T0 + seconds(10), ALL);
        assertEquals(0, table.expire(T0 - seconds(1000), ALL));
        assertTrue(table.isLive(h));
    }

    @Test
    void longIdleGapIsCaughtUpInBoundedSteps()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 8);
        final int h = table.insert(UDP, CLIENT, 53, VIP, 53, SERVER, NO_ENTRY, T0);
        final int keep = table.insertTemplate(UDP, CLIENT, VIP, 53, SERVER, seconds(86_400), T0);
        final long later = T0 + seconds(3600);
        int calls = 0;
        while (table.isLive(h))
        {
            table.expire(later, 1000);
            assertTrue(table.lastExpireWork() <= 1000);
            calls++;
            assertTrue(calls < 10_000, "progress");
        }
        assertTrue(table.isLive(keep));
    }

    @Test
    void tableWithNothingScheduledSkipsStraightToNow()
    {
        final ConnectionTable table = new ConnectionTable(8, Timeouts.ipvsDefaults(), counts, 9);
        table.expire(T0, ALL);
        assertEquals(0, table.expire(T0 + seconds(86_400), 1));
        final int h = table.insert(UDP, CLIENT, 53, VIP, 53, SERVER, NO_ENTRY, T0 + seconds(86_400));
        table.expire(T0 + seconds(86_400 + 300) + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(h));
    }
}
