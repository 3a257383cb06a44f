package io.jlvs.conntrack;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.EXPIRY_RESOLUTION_NS;
import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.TcpFlags.ACK;
import static io.jlvs.conntrack.TcpFlags.FIN;
import static io.jlvs.conntrack.TcpFlags.PSH;
import static io.jlvs.conntrack.TcpFlags.RST;
import static io.jlvs.conntrack.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTableTcpTest
{
    static final int TCP = IpProtocol.TCP;
    static final int UDP = IpProtocol.UDP;
    /** 198.18.0.10, 198.18.0.11: clients; 198.18.0.100: the VIP. */
    static final int CLIENT = 0xC612000A;
    static final int OTHER_CLIENT = 0xC612000B;
    static final int VIP = 0xC6120064;
    static final int VPORT = 80;
    static final int SERVER = 7;
    static final long T0 = TimeUnit.HOURS.toNanos(10);
    static final int ALL = Integer.MAX_VALUE;

    private final CountingListener counts = new CountingListener();
    private ConnectionTable table;

    static long seconds(final long s)
    {
        return TimeUnit.SECONDS.toNanos(s);
    }

    @BeforeEach
    void setUp()
    {
        table = new ConnectionTable(64, Timeouts.ipvsDefaults(), counts, 42);
    }

    private int newTcp(final int clientPort)
    {
        return table.insert(TCP, CLIENT, clientPort, VIP, VPORT, SERVER, NO_ENTRY, T0);
    }

    private int established(final int clientPort)
    {
        final int h = newTcp(clientPort);
        table.onPacket(h, SYN, T0);
        table.onPacket(h, ACK, T0);
        return h;
    }

    @Test
    void lookupFindsTheInsertedConnectionOnlyUnderItsFullKey()
    {
        final int h = newTcp(40000);
        assertNotEquals(NO_ENTRY, h);
        assertEquals(h, table.lookup(TCP, CLIENT, 40000, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT, 40001, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookup(TCP, OTHER_CLIENT, 40000, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookup(UDP, CLIENT, 40000, VIP, VPORT));
        assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT, 40000, VIP, 443));
        assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT, 40000, VIP + 1, VPORT));
        assertEquals(SERVER, table.serverId(h));
        assertEquals(ConnectionState.NONE, table.state(h));
        assertEquals(TCP, table.protocol(h));
        assertEquals(CLIENT, table.clientAddr(h));
        assertEquals(40000, table.clientPort(h));
        assertEquals(VIP, table.vaddr(h));
        assertEquals(VPORT, table.vport(h));
    }

    @Test
    void keysWithHighBitsSetRoundTrip()
    {
        final int h = table.insert(TCP, 0xFFFFFFFF, 0xFFFF, 0x80000000, 0xFFFF, SERVER, NO_ENTRY, T0);
        assertEquals(h, table.lookup(TCP, 0xFFFFFFFF, 0xFFFF, 0x80000000, 0xFFFF));
        assertEquals(0xFFFFFFFF, table.clientAddr(h));
        assertEquals(0xFFFF, table.clientPort(h));
        assertEquals(0x80000000, table.vaddr(h));
        assertEquals(0xFFFF, table.vport(h));
    }

    @Test
    void newConnectionCountsAsInactiveLikeIpvsBindDest()
    {
        newTcp(40000);
        assertEquals("0/1/0", counts.of(SERVER));
    }

    @Test
    void synMovesNoneToSynRecvAndStaysInactive()
    {
        final int h = newTcp(40000);
        assertEquals(ConnectionState.SYN_RECV, table.onPacket(h, SYN, T0));
        assertEquals(ConnectionState.SYN_RECV, table.state(h));
        assertEquals("0/1/0", counts.of(SERVER));
        assertEquals(1, table.halfOpenCount());
    }

    @Test
    void ackAfterSynMakesTheConnectionEstablishedAndActive()
    {
        final int h = newTcp(40000);
        table.onPacket(h, SYN, T0);
        assertEquals(ConnectionState.ESTABLISHED, table.onPacket(h, ACK, T0));
        assertEquals("1/0/0", counts.of(SERVER));
        assertFalse(table.isInactive(h));
        assertEquals(0, table.halfOpenCount());
        assertEquals(List.of("7:0/1/0", "7:1/-1/0"), counts.calls);
    }

    @Test
    void dataInEstablishedChangesNothingButTheExpiry()
    {
        final int h = established(40000);
        final int calls = counts.calls.size();
        assertEquals(ConnectionState.ESTABLISHED, table.onPacket(h, ACK | PSH, T0 + seconds(5)));
        assertEquals(calls, counts.calls.size());
        assertEquals(T0 + seconds(5) + seconds(900), table.expiresAtNs(h));
    }

    @Test
    void clientFinMovesEstablishedToFinWaitAndInactive()
    {
        final int h = established(40000);
        assertEquals(ConnectionState.FIN_WAIT, table.onPacket(h, FIN | ACK, T0));
        assertEquals("0/1/0", counts.of(SERVER));
        assertTrue(table.isInactive(h));
        assertEquals(ConnectionState.FIN_WAIT, table.onPacket(h, ACK, T0));
    }

    @Test
    void rstClosesAnEstablishedConnection()
    {
        final int h = established(40000);
        assertEquals(ConnectionState.CLOSE, table.onPacket(h, RST, T0));
        assertEquals("0/1/0", counts.of(SERVER));
    }

    @Test
    void rstInSynRecvKeepsSynRecvAsTheKernelTableSays()
    {
        final int h = newTcp(40000);
        table.onPacket(h, SYN, T0);
        assertEquals(ConnectionState.SYN_RECV, table.onPacket(h, RST, T0));
    }

    @Test
    void synOnEstablishedKeepsItEstablishedAndActive()
    {
        final int h = established(40000);
        assertEquals(ConnectionState.ESTABLISHED, table.onPacket(h, SYN, T0));
        assertEquals("1/0/0", counts.of(SERVER));
    }

    @Test
    void reopeningAClosedConnectionCountsAgainOnlyAtEstablished()
    {
        final int h = established(40000);
        table.onPacket(h, RST, T0);
        table.onPacket(h, SYN, T0);
        assertEquals("0/1/0", counts.of(SERVER));
        table.onPacket(h, ACK, T0);
        assertEquals("1/0/0", counts.of(SERVER));
    }

    @Test
    void removeReleasesActiveOrInactiveCount()
    {
        final int active = established(40000);
        final int inactive = newTcp(40001);
        assertEquals("1/1/0", counts.of(SERVER));
        table.remove(active);
        assertEquals("0/1/0", counts.of(SERVER));
        table.remove(inactive);
        assertEquals("0/0/0", counts.of(SERVER));
        assertEquals(0, table.size());
        assertEquals(NO_ENTRY, table.lookup(TCP, CLIENT, 40000, VIP, VPORT));
    }

    @Test
    void removingTwiceReleasesOnce()
    {
        final int h = established(40000);
        table.remove(h);
        table.remove(h);
        assertEquals("0/0/0", counts.of(SERVER));
    }

    @Test
    void udpConnectionStaysInactiveAndRefreshesOnEachPacket()
    {
        final int h = table.insert(UDP, CLIENT, 5353, VIP, 53, SERVER, NO_ENTRY, T0);
        assertEquals(ConnectionState.UDP, table.state(h));
        assertEquals(T0 + seconds(300), table.expiresAtNs(h));
        assertEquals(ConnectionState.UDP, table.onPacket(h, 0, T0 + seconds(100)));
        assertEquals(T0 + seconds(400), table.expiresAtNs(h));
        assertEquals("0/1/0", counts.of(SERVER));
        assertTrue(table.isInactive(h));
    }

    private void assertLivesExactlyAsLongAs(final int handle, final long fromNs, final long timeoutNs)
    {
        table.expire(fromNs + timeoutNs - 1, ALL);
        assertTrue(table.isLive(handle), "alive just before its timeout");
        table.expire(fromNs + timeoutNs + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(handle), "gone one wheel tick after its timeout");
    }

    @Test
    void newTcpConnectionWithoutPacketsLivesThreeSeconds()
    {
        assertLivesExactlyAsLongAs(newTcp(40000), T0, seconds(3));
    }

    @Test
    void synRecvLivesSixtySeconds()
    {
        final int h = newTcp(40000);
        table.onPacket(h, SYN, T0);
        assertLivesExactlyAsLongAs(h, T0, seconds(60));
    }

    @Test
    void establishedLivesFifteenMinutesAfterItsLastPacket()
    {
        final int h = established(40000);
        final long last = T0 + seconds(600);
        table.expire(last - 1, ALL);
        table.onPacket(h, ACK, last);
        assertLivesExactlyAsLongAs(h, last, seconds(900));
    }

    @Test
    void finWaitLivesTwoMinutes()
    {
        final int h = established(40000);
        table.onPacket(h, FIN, T0);
        assertLivesExactlyAsLongAs(h, T0, seconds(120));
    }

    @Test
    void timeWaitLivesTwoMinutes()
    {
        final int h = newTcp(40000);
        table.onPacket(h, SYN, T0);
        assertEquals(ConnectionState.TIME_WAIT, table.onPacket(h, FIN, T0));
        assertLivesExactlyAsLongAs(h, T0, seconds(120));
    }

    @Test
    void closeLivesTenSecondsEvenAfterFifteenMinutesEstablished()
    {
        final int h = established(40000);
        table.onPacket(h, RST, T0 + seconds(1));
        assertLivesExactlyAsLongAs(h, T0 + seconds(1), seconds(10));
    }

    @Test
    void udpLivesFiveMinutes()
    {
        final int h = table.insert(UDP, CLIENT, 5353, VIP, 53, SERVER, NO_ENTRY, T0);
        table.onPacket(h, 0, T0);
        assertLivesExactlyAsLongAs(h, T0, seconds(300));
    }

    @Test
    void expiryReleasesTheServerCounts()
    {
        final int h = established(40000);
        table.expire(T0 + seconds(900) + EXPIRY_RESOLUTION_NS, ALL);
        assertFalse(table.isLive(h));
        assertEquals("0/0/0", counts.of(SERVER));
        assertEquals(1, table.expiredTotal());
    }

    @Test
    void newTimeoutsApplyFromTheNextPacket()
    {
        final int h = established(40000);
        table.timeouts(Timeouts.ipvsDefaults().withTcp(30));
        assertEquals(T0 + seconds(900), table.expiresAtNs(h));
        table.onPacket(h, ACK, T0 + seconds(1));
        assertLivesExactlyAsLongAs(h, T0 + seconds(1), seconds(30));
    }

    @Test
    void tcpfinTimeoutGovernsFinWait()
    {
        table.timeouts(Timeouts.ipvsDefaults().withTcpFin(15));
        final int h = established(40000);
        table.onPacket(h, FIN, T0);
        assertLivesExactlyAsLongAs(h, T0, seconds(15));
    }

    @Test
    void synHittingTimeWaitCloseOrFinWaitIsReusable()
    {
        final int timeWait = newTcp(40000);
        table.onPacket(timeWait, SYN, T0);
        table.onPacket(timeWait, FIN, T0);
        final int close = established(40001);
        table.onPacket(close, RST, T0);
        final int finWait = established(40002);
        table.onPacket(finWait, FIN, T0);
        final int open = established(40003);
        final int synRecv = newTcp(40004);
        table.onPacket(synRecv, SYN, T0);

        assertTrue(table.isReusable(timeWait));
        assertTrue(table.isReusable(close));
        assertTrue(table.isReusable(finWait));
        assertFalse(table.isReusable(open));
        assertFalse(table.isReusable(synRecv));
    }

    @Test
    void kernelDefaultReuseModeLeavesFinWaitOnItsServer()
    {
        table.connReuseMode(ConnectionTable.CONN_REUSE_RESCHEDULE);
        final int finWait = established(40000);
        table.onPacket(finWait, FIN, T0);
        final int close = established(40001);
        table.onPacket(close, RST, T0);
        assertFalse(table.isReusable(finWait));
        assertTrue(table.isReusable(close));
    }

    @Test
    void reuseModeZeroReschedulesNothing()
    {
        table.connReuseMode(0);
        final int close = established(40000);
        table.onPacket(close, RST, T0);
        assertFalse(table.isReusable(close));
    }

    @Test
    void udpIsNeverReusable()
    {
        final int h = table.insert(UDP, CLIENT, 5353, VIP, 53, SERVER, NO_ENTRY, T0);
        assertFalse(table.isReusable(h));
    }

    @Test
    void reuseReplacesTheEntryWithANewConnectionOnTheNewServer()
    {
        final int old = established(40000);
        table.onPacket(old, FIN, T0);
        assertTrue(table.isReusable(old));
        table.remove(old);
        final int fresh = table.insert(TCP, CLIENT, 40000, VIP, VPORT, SERVER + 1, NO_ENTRY, T0 + 1);
        assertEquals(ConnectionState.SYN_RECV, table.onPacket(fresh, SYN, T0 + 1));
        assertEquals(fresh, table.lookup(TCP, CLIENT, 40000, VIP, VPORT));
        assertEquals(SERVER + 1, table.serverId(fresh));
        assertEquals("0/0/0", counts.of(SERVER));
        assertEquals("0/1/0", counts.of(SERVER + 1));
    }
}
