package io.jlvs.conntrack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.ConnectionTableTcpTest.CLIENT;
import static io.jlvs.conntrack.ConnectionTableTcpTest.T0;
import static io.jlvs.conntrack.ConnectionTableTcpTest.TCP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.UDP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VIP;
import static io.jlvs.conntrack.ConnectionTableTcpTest.VPORT;
import static io.jlvs.conntrack.ConnectionTableTcpTest.seconds;
import static io.jlvs.conntrack.TcpFlags.ACK;
import static io.jlvs.conntrack.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTableCapacityTest
{
    private static final int SERVER = 1;
    private static final int OTHER_SERVER = 2;
    private static final int SPOOFED_NET = 0x0A000000;

    private final CountingListener counts = new CountingListener();

    private static int established(final ConnectionTable table, final int client, final int port, final int server)
    {
        final int h = table.insert(TCP, client, port, VIP, VPORT, server, NO_ENTRY, T0);
        table.onPacket(h, SYN, T0);
        table.onPacket(h, ACK, T0);
        return h;
    }

    private static int synOnly(final ConnectionTable table, final int client, final int port, final long nowNs)
    {
        final int h = table.insert(TCP, client, port, VIP, VPORT, SERVER, NO_ENTRY, nowNs);
        if (h != NO_ENTRY)
        {
            table.onPacket(h, SYN, nowNs);
        }
        return h;
    }

    @Test
    void fullTableOfEstablishedConnectionsRefusesAndCountsNewOnes()
    {
        final ConnectionTable table = new ConnectionTable(4, Timeouts.ipvsDefaults(), counts, 1);
        for (int port = 0; port < 4; port++)
        {
            established(table, CLIENT, 1000 + port, SERVER);
        }
        assertEquals(NO_ENTRY, table.insert(TCP, CLIENT, 2000, VIP, VPORT, SERVER, NO_ENTRY, T0));
        assertEquals(NO_ENTRY, table.insertTemplate(TCP, CLIENT, VIP, VPORT, SERVER, seconds(60), T0));
        assertEquals(2, table.refusedFull());
        assertEquals(4, table.size());
        assertEquals(4, table.capacity());
        assertEquals("4/0/0", counts.of(SERVER));
        for (int port = 0; port < 4; port++)
        {
            assertNotEquals(NO_ENTRY, table.lookup(TCP, CLIENT, 1000 + port, VIP, VPORT));
        }
    }

    @Test
    void synFloodShedsTheOldestHalfOpenConnectionsAndNeverAnEstablishedOne()
    {
        final int capacity = 16;
        final int establishedCount = 10;
        final int floodSize = 1000;
        final ConnectionTable table = new ConnectionTable(capacity, Timeouts.ipvsDefaults(), counts, 2);
        final List<Integer> established = new ArrayList<>();
        for (int i = 0; i < establishedCount; i++)
        {
            established.add(established(table, CLIENT, 1000 + i, SERVER));
        }
        for (int i = 0; i < floodSize; i++)
        {
            assertNotEquals(NO_ENTRY, synOnly(table, SPOOFED_NET + i, 5000, T0 + i), "SYN " + i + " got a slot");
        }

        for (int i = 0; i < establishedCount; i++)
        {
            final int h = table.lookup(TCP, CLIENT, 1000 + i, VIP, VPORT);
            assertEquals(established.get(i), h);
            assertEquals(ConnectionState.ESTABLISHED, table.state(h));
        }
        final int halfOpenKept = capacity - establishedCount;
        assertEquals(floodSize - halfOpenKept, table.shedHalfOpen());
        assertEquals(0, table.refusedFull());
        assertEquals(halfOpenKept, table.halfOpenCount());
        for (int i = 0; i < floodSize; i++)
        {
            final boolean newest = i >= floodSize - halfOpenKept;
            assertEquals(newest, table.lookup(TCP, SPOOFED_NET + i, 5000, VIP, VPORT) != NO_ENTRY, "SYN " + i);
        }
        assertEquals(establishedCount + "/" + halfOpenKept + "/0", counts.of(SERVER));
    }

    @Test
    void legitimateClientCompletingItsHandshakeIsNoLongerShed()
    {
        final ConnectionTable table = new ConnectionTable(4, Timeouts.ipvsDefaults(), counts, 3);
        final int legit = synOnly(table, CLIENT, 1000, T0);
        table.onPacket(legit, ACK, T0);
        for (int i = 0; i < 100; i++)
        {
            synOnly(table, SPOOFED_NET + i, 5000, T0);
        }
        assertEquals(legit, table.lookup(TCP, CLIENT, 1000, VIP, VPORT));
        assertEquals(97, table.shedHalfOpen());
    }

    @Test
    void udpAndNewTcpEntriesAreNotShed()
    {
        final ConnectionTable table = new ConnectionTable(2, Timeouts.ipvsDefaults(), counts, 4);
        table.insert(UDP, CLIENT, 53, VIP, 53, SERVER, NO_ENTRY, T0);
        table.insert(TCP, CLIENT, 1000, VIP, VPORT, SERVER, NO_ENTRY, T0);
        assertEquals(NO_ENTRY, synOnly(table, SPOOFED_NET, 5000, T0));
        assertEquals(1, table.refusedFull());
        assertEquals(0, table.shedHalfOpen());
    }

    @Test
    void handlesStayValidWhenOtherEntriesAreRemovedAndFreedOnesAreReused()
    {
        final ConnectionTable table = new ConnectionTable(100, Timeouts.ipvsDefaults(), counts, 5);
        final int[] handles = new int[100];
        for (int i = 0; i < handles.length; i++)
        {
            handles[i] = table.insert(TCP, CLIENT + i, 1000 + i, VIP, VPORT, i, NO_ENTRY, T0);
        }
        final Set<Integer> freed = new HashSet<>();
        for (int i = 0; i < handles.length; i += 3)
        {
            table.remove(handles[i]);
            freed.add(handles[i]);
        }
        for (int i = 0; i < handles.length; i++)
        {
            if (i % 3 != 0)
            {
                assertEquals(handles[i], table.lookup(TCP, CLIENT + i, 1000 + i, VIP, VPORT));
                assertEquals(i, table.serverId(handles[i]));
                assertEquals(CLIENT + i, table.clientAddr(handles[i]));
                assertEquals(1000 + i, table.clientPort(handles[i]));
            }
            else
            {
                assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT + i, 1000 + i, VIP, VPORT));
            }
        }
        for (int i = 0; i < freed.size(); i++)
        {
            final int h = table.insert(UDP, CLIENT, 2000 + i, VIP, 53, OTHER_SERVER, NO_ENTRY, T0);
            assertTrue(freed.contains(h), "reuses a freed slot: " + h);
        }
        assertEquals(100, table.size());
    }

    @Test
    void removeServerDropsItsConnectionsAndTemplatesOnly()
    {
        final ConnectionTable table = new ConnectionTable(64, Timeouts.ipvsDefaults(), counts, 6);
        final int template = table.insertTemplate(TCP, CLIENT & 0xFFFFFF00, VIP, VPORT, SERVER, seconds(60), T0);
        final int controlled = table.insert(TCP, CLIENT, 1000, VIP, VPORT, SERVER, template, T0);
        final int plain = established(table, CLIENT, 1001, SERVER);
        final int other = established(table, CLIENT, 1002, OTHER_SERVER);
        final int otherTemplate =
            table.insertTemplate(UDP, CLIENT & 0xFFFFFF00, VIP, 53, OTHER_SERVER, seconds(60), T0);

        assertEquals(3, table.removeServer(SERVER));
        assertFalse(table.isLive(template));
        assertFalse(table.isLive(controlled));
        assertFalse(table.isLive(plain));
        assertTrue(table.isLive(other));
        assertTrue(table.isLive(otherTemplate));
        assertEquals("0/0/0", counts.of(SERVER));
        assertEquals("1/0/1", counts.of(OTHER_SERVER));
        assertEquals(2, table.size());
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT & 0xFFFFFF00, VIP, VPORT));
    }

    @Test
    void keysAimedAtOneClientSpreadOverTheIndex()
    {
        // A flood from one address sweeping ports, and one from a /16 at one port: with a seeded mix neither
        // lines up in one cluster of the index. A full table of 65536 random keys probes at most 13 to 25 lines
        // (linear probing at 3/5 load, measured over 8 seeds); keys that all landed together would probe thousands.
        final int keys = 1 << 16;
        final int longestAllowed = 40;
        for (final long seed : new long[] {0, 1, -1, 0x5DEECE66DL})
        {
            final ConnectionTable byPort = new ConnectionTable(keys, Timeouts.ipvsDefaults(), counts, seed);
            final ConnectionTable byAddress = new ConnectionTable(keys, Timeouts.ipvsDefaults(), counts, seed);
            for (int i = 0; i < keys; i++)
            {
                byPort.insert(TCP, CLIENT, i, VIP, VPORT, SERVER, NO_ENTRY, T0);
                byAddress.insert(TCP, 0xC6120000 | i, 40000, VIP, VPORT, SERVER, NO_ENTRY, T0);
            }
            assertTrue(byPort.longestProbe() <= longestAllowed, "seed " + seed + ": " + byPort.longestProbe());
            assertTrue(byAddress.longestProbe() <= longestAllowed, "seed " + seed + ": " + byAddress.longestProbe());
        }
    }

    @Test
    void tableOfOneWorks()
    {
        final ConnectionTable table = new ConnectionTable(1, Timeouts.ipvsDefaults(), counts, 8);
        final int h = table.insert(TCP, CLIENT, 1, VIP, VPORT, SERVER, NO_ENTRY, T0);
        assertEquals(NO_ENTRY, table.insert(TCP, CLIENT, 2, VIP, VPORT, SERVER, NO_ENTRY, T0));
        table.remove(h);
        assertEquals(h, table.insert(TCP, CLIENT, 2, VIP, VPORT, SERVER, NO_ENTRY, T0));
    }

    @Test
    void capacityOutsideTheLimitsIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionTable(0, Timeouts.ipvsDefaults(), counts));
        assertThrows(
            IllegalArgumentException.class,
            () -> new ConnectionTable(ConnectionTable.MAX_CAPACITY + 1, Timeouts.ipvsDefaults(), counts));
    }
}
