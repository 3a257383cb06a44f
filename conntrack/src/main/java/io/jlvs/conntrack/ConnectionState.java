package io.jlvs.conntrack;

/**
 * Connection states as IPVS numbers them: the TCP states of {@code ip_vs_proto_tcp.c} ({@code IP_VS_TCP_S_*}) and
 * one state for UDP (and any other protocol), which IPVS lists as {@code UDP}.
 */
public final class ConnectionState
{
    public static final int NONE = 0;
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT = 4;
    public static final int TIME_WAIT = 5;
    public static final int CLOSE = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int LAST_ACK = 8;
    public static final int LISTEN = 9;
    public static final int SYNACK = 10;
    /** Number of TCP states ({@code IP_VS_TCP_S_LAST}). */
    public static final int TCP_STATE_COUNT = 11;
    /** The one state of a UDP entry (IPVS {@code IP_VS_UDP_S_NORMAL}, listed as {@code UDP}). */
    public static final int UDP = 11;

    private static final String[] NAMES =
    {
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
        "LISTEN", "SYNACK", "UDP"
    };

    private ConnectionState()
    {
    }

    /** The state's name as {@code ipvsadm -Lnc} prints it; {@code ERR!} for an unknown number, as IPVS does. */
    public static String name(final int state)
    {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "ERR!";
    }

    /** Whether the state is a TCP state. */
    public static boolean isTcp(final int state)
    {
        return state >= 0 && state < TCP_STATE_COUNT;
    }
}
