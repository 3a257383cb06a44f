package io.jlvs.conntrack;

import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionState.CLOSE;
import static io.jlvs.conntrack.ConnectionState.CLOSE_WAIT;
import static io.jlvs.conntrack.ConnectionState.ESTABLISHED;
import static io.jlvs.conntrack.ConnectionState.FIN_WAIT;
import static io.jlvs.conntrack.ConnectionState.LAST_ACK;
import static io.jlvs.conntrack.ConnectionState.LISTEN;
import static io.jlvs.conntrack.ConnectionState.NONE;
import static io.jlvs.conntrack.ConnectionState.SYNACK;
import static io.jlvs.conntrack.ConnectionState.SYN_RECV;
import static io.jlvs.conntrack.ConnectionState.SYN_SENT;
import static io.jlvs.conntrack.ConnectionState.TIME_WAIT;
import static io.jlvs.conntrack.TcpFlags.ACK;
import static io.jlvs.conntrack.TcpFlags.FIN;
import static io.jlvs.conntrack.TcpFlags.PSH;
import static io.jlvs.conntrack.TcpFlags.RST;
import static io.jlvs.conntrack.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TcpInputOnlyStatesTest
{
    /** The kernel's INPUT-ONLY rows of tcp_states, typed in again from ip_vs_proto_tcp.c, columns in state order. */
    private static final int[] KERNEL_SYN =
        {SYN_RECV, ESTABLISHED, ESTABLISHED, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV,
            SYN_RECV};
    private static final int[] KERNEL_FIN =
        {CLOSE, FIN_WAIT, SYN_SENT, TIME_WAIT, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, TIME_WAIT};
    private static final int[] KERNEL_ACK =
        {CLOSE, ESTABLISHED, SYN_SENT, ESTABLISHED, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, CLOSE, LISTEN,
            ESTABLISHED};
    private static final int[] KERNEL_RST =
        {CLOSE, CLOSE, CLOSE, SYN_RECV, CLOSE, CLOSE, CLOSE, CLOSE, LAST_ACK, LISTEN, CLOSE};

    @Test
    void synFromNoneIsSynRecv()
    {
        assertEquals(SYN_RECV, TcpInputOnlyStates.next(NONE, SYN));
    }

    @Test
    void ackCompletesHandshakeToEstablished()
    {
        assertEquals(ESTABLISHED, TcpInputOnlyStates.next(SYN_RECV, ACK));
    }

    @Test
    void clientFinInEstablishedIsFinWaitNotCloseWait()
    {
        // The INPUT row would say CLOSE_WAIT; a DR director that sees only the client uses INPUT-ONLY.
        assertEquals(FIN_WAIT, TcpInputOnlyStates.next(ESTABLISHED, FIN | ACK));
    }

    @Test
    void clientLastAckLeavesFinWaitInPlace()
    {
        assertEquals(FIN_WAIT, TcpInputOnlyStates.next(FIN_WAIT, ACK));
    }

    @Test
    void rstInEstablishedCloses()
    {
        assertEquals(CLOSE, TcpInputOnlyStates.next(ESTABLISHED, RST | ACK));
    }

    @Test
    void rstWinsOverSynAndSynOverFinAndFinOverAck()
    {
        assertEquals(CLOSE, TcpInputOnlyStates.next(ESTABLISHED, RST | SYN | FIN | ACK));
        assertEquals(ESTABLISHED, TcpInputOnlyStates.next(ESTABLISHED, SYN | FIN | ACK));
        assertEquals(FIN_WAIT, TcpInputOnlyStates.next(ESTABLISHED, FIN | ACK));
    }

    @Test
    void segmentWithoutStateFlagsClosesAsSetTcpStateDoes()
    {
        assertEquals(CLOSE, TcpInputOnlyStates.next(ESTABLISHED, PSH));
        assertEquals(CLOSE, TcpInputOnlyStates.next(SYN_RECV, 0));
    }

    @Test
    void synInTimeWaitReopensAsSynRecv()
    {
        assertEquals(SYN_RECV, TcpInputOnlyStates.next(TIME_WAIT, SYN));
    }

    @Test
    void ackFromNoneClosesAConnectionPickedUpMidStream()
    {
        assertEquals(CLOSE, TcpInputOnlyStates.next(NONE, ACK));
    }

    @Test
    void everyCellMatchesTheKernelInputOnlyTable()
    {
        for (int state = 0; state < ConnectionState.TCP_STATE_COUNT; state++)
        {
            final String name = ConnectionState.name(state);
            assertEquals(KERNEL_SYN[state], TcpInputOnlyStates.next(state, SYN), "syn in " + name);
            assertEquals(KERNEL_FIN[state], TcpInputOnlyStates.next(state, FIN), "fin in " + name);
            assertEquals(KERNEL_ACK[state], TcpInputOnlyStates.next(state, ACK), "ack in " + name);
            assertEquals(KERNEL_RST[state], TcpInputOnlyStates.next(state, RST), "rst in " + name);
        }
    }

    @Test
    void synackStateLeavesOnAckToEstablishedAndOnRstToClose()
    {
        assertEquals(ESTABLISHED, TcpInputOnlyStates.next(SYNACK, ACK));
        assertEquals(CLOSE, TcpInputOnlyStates.next(SYNACK, RST));
    }

    @Test
    void unknownStateIsTreatedAsNone()
    {
        assertEquals(SYN_RECV, TcpInputOnlyStates.next(ConnectionState.UDP, SYN));
        assertEquals(SYN_RECV, TcpInputOnlyStates.next(-1, SYN));
    }
}
