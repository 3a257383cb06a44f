package io.jlvs.conntrack;

import static io.jlvs.conntrack.ConnectionState.CLOSE;
import static io.jlvs.conntrack.ConnectionState.CLOSE_WAIT;
import static io.jlvs.conntrack.ConnectionState.ESTABLISHED;
import static io.jlvs.conntrack.ConnectionState.FIN_WAIT;
import static io.jlvs.conntrack.ConnectionState.LAST_ACK;
import static io.jlvs.conntrack.ConnectionState.LISTEN;
import static io.jlvs.conntrack.ConnectionState.SYN_RECV;
import static io.jlvs.conntrack.ConnectionState.SYN_SENT;
import static io.jlvs.conntrack.ConnectionState.TCP_STATE_COUNT;
import static io.jlvs.conntrack.ConnectionState.TIME_WAIT;

/**
 * IPVS's TCP state table for the input-only direction ({@code tcp_states}, rows {@code INPUT-ONLY}, in
 * {@code ip_vs_proto_tcp.c}): the director sees only client-to-server packets in DR and TUN (IPVS sets
 * {@code IP_VS_CONN_F_NOOUTPUT} for them), so a connection moves on the client's flags alone.
 * <p>
 * IPVS picks the row by the first flag set in the order RST, SYN, FIN, ACK; a segment with none of them sends the
 * connection to CLOSE, as {@code set_tcp_state} does. The "secure_tcp" variant of the table is not modelled.
 */
public final class TcpInputOnlyStates
{
    private static final int ROW_SYN = 0;
    private static final int ROW_FIN = 1;
    private static final int ROW_ACK = 2;
    private static final int ROW_RST = 3;

    /**
     * [row][current state] = next state; columns in state order NONE, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT,
     * TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, SYNACK.
     */
    private static final byte[][] NEXT =
    {
        /* syn */ row(SYN_RECV, ESTABLISHED, ESTABLISHED, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV, SYN_RECV,
            SYN_RECV, SYN_RECV),
        /* fin */ row(CLOSE, FIN_WAIT, SYN_SENT, TIME_WAIT, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,
            TIME_WAIT),
        /* ack */ row(CLOSE, ESTABLISHED, SYN_SENT, ESTABLISHED, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, CLOSE,
            LISTEN, ESTABLISHED),
        /* rst */ row(CLOSE, CLOSE, CLOSE, SYN_RECV, CLOSE, CLOSE, CLOSE, CLOSE, LAST_ACK, LISTEN, CLOSE),
    };

    private TcpInputOnlyStates()
    {
    }

    /**
     * The state after a client-to-server segment.
     *
     * @param state    current TCP state ({@link ConnectionState}); anything outside the TCP states counts as NONE.
     * @param tcpFlags the TCP flags byte ({@link TcpFlags}).
     */
    public static int next(final int state, final int tcpFlags)
    {
        final int row;
        if ((tcpFlags & TcpFlags.RST) != 0)
        {
            row = ROW_RST;
        }
        else if ((tcpFlags & TcpFlags.SYN) != 0)
        {
            row = ROW_SYN;
        }
        else if ((tcpFlags & TcpFlags.FIN) != 0)
        {
            row = ROW_FIN;
        }
        else if ((tcpFlags & TcpFlags.ACK) != 0)
        {
            row = ROW_ACK;
        }
        else
        {
            return CLOSE;
        }
        final int column = state >= 0 && state < TCP_STATE_COUNT ? state : ConnectionState.NONE;
        return NEXT[row][column];
    }

    private static byte[] row(final int... next)
    {
        if (next.length != TCP_STATE_COUNT)
        {
            throw new IllegalStateException("a row needs " + TCP_STATE_COUNT + " states, got " + next.length);
        }
        final byte[] row = new byte[next.length];
        for (int i = 0; i < next.length; i++)
        {
            row[i] = (byte)next[i];
        }
        return row;
    }
}
