package io.jlvs.conntrack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectionStateTest
{
    @Test
    void namesAreWhatIpvsadmListConnectionsPrints()
    {
        assertEquals("NONE", ConnectionState.name(ConnectionState.NONE));
        assertEquals("ESTABLISHED", ConnectionState.name(ConnectionState.ESTABLISHED));
        assertEquals("SYN_RECV", ConnectionState.name(ConnectionState.SYN_RECV));
        assertEquals("FIN_WAIT", ConnectionState.name(ConnectionState.FIN_WAIT));
        assertEquals("TIME_WAIT", ConnectionState.name(ConnectionState.TIME_WAIT));
        assertEquals("CLOSE", ConnectionState.name(ConnectionState.CLOSE));
        assertEquals("CLOSE_WAIT", ConnectionState.name(ConnectionState.CLOSE_WAIT));
        assertEquals("LAST_ACK", ConnectionState.name(ConnectionState.LAST_ACK));
        assertEquals("SYNACK", ConnectionState.name(ConnectionState.SYNACK));
        assertEquals("UDP", ConnectionState.name(ConnectionState.UDP));
        assertEquals("ERR!", ConnectionState.name(42));
    }

    @Test
    void tcpStatesAreTheElevenKernelStates()
    {
        assertEquals(true, ConnectionState.isTcp(ConnectionState.SYNACK));
        assertEquals(false, ConnectionState.isTcp(ConnectionState.UDP));
    }
}
