package io.jlvs.conntrack;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimeoutsTest
{
    private static long seconds(final long s)
    {
        return TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void defaultsAreTheKernelTcpAndUdpTimeouts()
    {
        final Timeouts t = Timeouts.ipvsDefaults();
        final int tcp = IpProtocol.TCP;
        assertEquals(seconds(2), t.timeoutNs(tcp, ConnectionState.NONE));
        assertEquals(seconds(900), t.timeoutNs(tcp, ConnectionState.ESTABLISHED));
        assertEquals(seconds(120), t.timeoutNs(tcp, ConnectionState.SYN_SENT));
        assertEquals(seconds(60), t.timeoutNs(tcp, ConnectionState.SYN_RECV));
        assertEquals(seconds(120), t.timeoutNs(tcp, ConnectionState.FIN_WAIT));
        assertEquals(seconds(120), t.timeoutNs(tcp, ConnectionState.TIME_WAIT));
        assertEquals(seconds(10), t.timeoutNs(tcp, ConnectionState.CLOSE));
        assertEquals(seconds(60), t.timeoutNs(tcp, ConnectionState.CLOSE_WAIT));
        assertEquals(seconds(30), t.timeoutNs(tcp, ConnectionState.LAST_ACK));
        assertEquals(seconds(120), t.timeoutNs(tcp, ConnectionState.LISTEN));
        assertEquals(seconds(120), t.timeoutNs(tcp, ConnectionState.SYNACK));
        assertEquals(seconds(300), t.timeoutNs(IpProtocol.UDP, ConnectionState.UDP));
    }

    @Test
    void setChangesEstablishedFinWaitAndUdpLikeIpvsadmSet()
    {
        final Timeouts t = Timeouts.ipvsDefaults().withTcp(3600).withTcpFin(30).withUdp(45);
        assertEquals(seconds(3600), t.timeoutNs(IpProtocol.TCP, ConnectionState.ESTABLISHED));
        assertEquals(seconds(30), t.timeoutNs(IpProtocol.TCP, ConnectionState.FIN_WAIT));
        assertEquals(seconds(45), t.timeoutNs(IpProtocol.UDP, ConnectionState.UDP));
        assertEquals(seconds(60), t.timeoutNs(IpProtocol.TCP, ConnectionState.SYN_RECV));
        assertEquals("Timeout (tcp tcpfin udp): 3600 30 45", t.toString());
    }

    @Test
    void zeroKeepsTheCurrentValueAsIpvsadmDoes()
    {
        final Timeouts t = Timeouts.ipvsDefaults().withTcp(100);
        assertSame(t, t.withTcp(0));
        assertSame(t, t.withTcpFin(0));
        assertSame(t, t.withUdp(0));
        assertEquals(100, t.withTcp(0).tcpSeconds());
    }

    @Test
    void changingACopyLeavesTheDefaultsAlone()
    {
        Timeouts.ipvsDefaults().withTcp(1).withTcpState(ConnectionState.CLOSE, 1);
        assertEquals(900, Timeouts.ipvsDefaults().tcpSeconds());
        assertEquals(seconds(10), Timeouts.ipvsDefaults().timeoutNs(IpProtocol.TCP, ConnectionState.CLOSE));
    }

    @Test
    void rejectsNegativeTimeoutsAndNonTcpStates()
    {
        assertThrows(IllegalArgumentException.class, () -> Timeouts.ipvsDefaults().withTcp(-1));
        assertThrows(IllegalArgumentException.class, () -> Timeouts.ipvsDefaults().withUdp(-5));
        assertThrows(
            IllegalArgumentException.class, () -> Timeouts.ipvsDefaults().withTcpState(ConnectionState.UDP, 5));
    }

    @Test
    void otherProtocolsUseTheUdpTimeout()
    {
        assertEquals(seconds(300), Timeouts.ipvsDefaults().timeoutNs(1, ConnectionState.UDP));
    }
}
