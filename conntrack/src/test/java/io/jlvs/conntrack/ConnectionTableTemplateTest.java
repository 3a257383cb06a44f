package io.jlvs.conntrack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.EXPIRY_RESOLUTION_NS;
import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.ConnectionTableTcpTest.ALL;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTableTemplateTest
{
    /** persistence_granularity 255.255.255.0: 198.18.5.0/24. */
    private static final int NETMASK = 0xFFFFFF00;
    private static final int CLIENT_A = 0xC6120517;
    private static final int CLIENT_B = 0xC61205F0;
    private static final int SERVER = 3;
    private static final long PERSISTENCE = seconds(300);

    private final CountingListener counts = new CountingListener();
    private ConnectionTable table;

    @BeforeEach
    void setUp()
    {
        table = new ConnectionTable(64, Timeouts.ipvsDefaults(), counts, 7);
    }

    private int template(final long nowNs)
    {
        return table.insertTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT, SERVER, PERSISTENCE, nowNs);
    }

    /** What the forwarding side does for a persistent service: find or make the template, then the connection. */
    private int connectUnder(final int client, final int port, final long nowNs)
    {
        int t = table.lookupTemplate(TCP, client & NETMASK, VIP, VPORT);
        if (t == NO_ENTRY)
        {
            t = table.insertTemplate(TCP, client & NETMASK, VIP, VPORT, SERVER, PERSISTENCE, nowNs);
        }
        final int c = table.insert(TCP, client, port, VIP, VPORT, table.serverId(t), t, nowNs);
        table.touchTemplate(t, nowNs);
        table.onPacket(c, SYN, nowNs);
        table.onPacket(c, ACK, nowNs);
        return c;
    }

    @Test
    void clientsOfOneNetworkShareTheTemplate()
    {
        final int t = template(T0);
        assertEquals(t, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));
        assertEquals(t, table.lookupTemplate(TCP, CLIENT_B & NETMASK, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, 0xC6120617 & NETMASK, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookupTemplate(UDP, CLIENT_A & NETMASK, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, 443));
        assertTrue(table.isTemplate(t));
        assertEquals(SERVER, table.serverId(t));
    }

    @Test
    void portZeroTemplateIsKeyedOnVirtualPortZero()
    {
        final int t = table.insertTemplate(TCP, CLIENT_A & NETMASK, VIP, 0, SERVER, PERSISTENCE, T0);
        assertEquals(t, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, 0));
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));
    }

    @Test
    void templatesAndConnectionsNeverFindEachOther()
    {
        // A template's key is (net, port 0, vport); a connection from that exact address and port 0 is different.
        final int t = table.insertTemplate(TCP, CLIENT_A, VIP, VPORT, SERVER, PERSISTENCE, T0);
        assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT_A, 0, VIP, VPORT));
        final int c = table.insert(TCP, CLIENT_A, 0, VIP, VPORT, SERVER, NO_ENTRY, T0);
        assertEquals(c, table.lookup(TCP, CLIENT_A, 0, VIP, VPORT));
        assertEquals(t, table.lookupTemplate(TCP, CLIENT_A, VIP, VPORT));
    }

    @Test
    void templateCountsAsPersistentUntilItGoes()
    {
        final int t = template(T0);
        assertEquals("0/0/1", counts.of(SERVER));
        table.remove(t);
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void templateWithoutConnectionsExpiresAfterItsTimeout()
    {
        final int t = template(T0);
        assertEquals(ConnectionState.NONE, table.state(t));
        table.expire(T0 + PERSISTENCE - 1, ALL);
        assertTrue(table.isLive(t));
        table.expire(T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(t));
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void connectionUnderTemplateIsControlledByIt()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int t = table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT);
        assertEquals(t, table.controllingTemplate(c));
        assertEquals(1, table.controlledCount(t));
        connectUnder(CLIENT_B, 40001, T0);
        assertEquals(2, table.controlledCount(t));
        assertEquals("2/0/1", counts.of(SERVER));
    }

    @Test
    void newConnectionRearmsTheTemplate()
    {
        final int t = template(T0);
        connectUnder(CLIENT_A, 40000, T0 + seconds(200));
        assertEquals(T0 + seconds(200) + PERSISTENCE, table.expiresAtNs(t));
        table.expire(T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS, ALL);
        assertTrue(table.isLive(t));
    }

    @Test
    void templateStillControllingAConnectionIsRearmedForSixtySecondsInsteadOfExpiring()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int t = table.controllingTemplate(c);
        final long due = T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS;
        assertEquals(0, table.expire(due, ALL));
        assertTrue(table.isLive(t));
        assertEquals(due + ConnectionTable.TEMPLATE_EXPIRE_LATER_NS, table.expiresAtNs(t));
        assertEquals("1/0/1", counts.of(SERVER));
    }

    @Test
    void templateKeptAliveByItsConnectionGoesWhenTheRearmRunsOutWithNoConnectionLeft()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int t = table.controllingTemplate(c);
        final long due = T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS;
        table.expire(due, ALL);
        table.onPacket(c, RST, due);
        // CLOSE lives 10 s, the template's re-arm 60 s.
        table.expire(due + seconds(30), ALL);
        assertFalse(table.isLive(c));
        assertTrue(table.isLive(t));
        assertEquals(0, table.controlledCount(t));
        assertEquals("0/0/1", counts.of(SERVER));
        table.expire(due + ConnectionTable.TEMPLATE_EXPIRE_LATER_NS + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(t));
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void onceKeptAliveATemplateIsRearmedWithSixtySecondsLikeIpvs()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int t = table.controllingTemplate(c);
        final long due = T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS;
        table.expire(due, ALL);
        connectUnder(CLIENT_B, 40001, due + seconds(1));
        assertEquals(due + seconds(1) + ConnectionTable.TEMPLATE_EXPIRE_LATER_NS, table.expiresAtNs(t));
    }

    @Test
    void controlledConnectionIsNotReusableSoPersistenceHolds()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        table.onPacket(c, RST, T0);
        assertEquals(ConnectionState.CLOSE, table.state(c));
        assertFalse(table.isReusable(c));
    }

    @Test
    void invalidatedTemplateLeavesLookupsButKeepsItsCountsUntilItExpires()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int old = table.controllingTemplate(c);
        table.invalidateTemplate(old);
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));
        assertTrue(table.isLive(old));
        assertEquals("1/0/1", counts.of(SERVER));

        final int fresh = table.insertTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT, SERVER + 1, PERSISTENCE, T0);
        assertNotEquals(old, fresh);
        assertEquals(fresh, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));

        table.remove(c);
        table.expire(T0 + PERSISTENCE + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(old));
        assertFalse(table.isLive(fresh));
        assertEquals("0/0/0", counts.of(SERVER));
        assertEquals("0/0/0", counts.of(SERVER + 1));
    }

    @Test
    void removedTemplateWithConnectionsVanishesAtOnceAndFreesItsSlotWithTheLastConnection()
    {
        final int c = connectUnder(CLIENT_A, 40000, T0);
        final int t = table.controllingTemplate(c);
        final int sizeBefore = table.size();
        table.remove(t);
        assertFalse(table.isLive(t));
        assertEquals(NO_ENTRY, table.lookupTemplate(TCP, CLIENT_A & NETMASK, VIP, VPORT));
        assertEquals("1/0/0", counts.of(SERVER));
        assertEquals(sizeBefore, table.size(), "the slot is held while the connection names it");
        table.remove(c);
        assertEquals(0, table.size());
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void listingShowsTemplatesWithTheirNetworkPortZeroAndNoneState()
    {
        connectUnder(CLIENT_A, 40000, T0);
        final StringBuilder listing = new StringBuilder();
        table.forEach(
            (protocol, clientAddr, clientPort, vaddr, vport, serverId, state, template, expiresInNs) ->
                listing.append(template ? "T " : "C ")
                    .append(Integer.toHexString(clientAddr)).append(':').append(clientPort).append(' ')
                    .append(ConnectionState.name(state)).append(' ')
                    .append(expiresInNs / seconds(1)).append('\n'),
            T0 + seconds(100));
        assertEquals("T c6120500:0 NONE 200\nC c6120517:40000 ESTABLISHED 800\n", listing.toString());
    }
}
