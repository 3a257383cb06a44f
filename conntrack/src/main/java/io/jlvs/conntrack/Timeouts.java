package io.jlvs.conntrack;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The per-state connection timeouts, IPVS's defaults ({@code tcp_timeouts} in {@code ip_vs_proto_tcp.c},
 * {@code udp_timeouts} in {@code ip_vs_proto_udp.c}) changed the way {@code ipvsadm --set tcp tcpfin udp} changes
 * them. Immutable: the control plane builds a new instance and hands it to {@link ConnectionTable#timeouts(Timeouts)}.
 */
public final class Timeouts
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    /** IPVS's timeout for a TCP state outside the table ({@code IP_VS_TCP_S_LAST}). */
    private static final long TCP_UNKNOWN_STATE_NS = 2 * SECOND_NS;

    private static final Timeouts IPVS_DEFAULTS;

    static
    {
        final long[] tcp = new long[ConnectionState.TCP_STATE_COUNT];
        tcp[ConnectionState.NONE] = 2 * SECOND_NS;
        tcp[ConnectionState.ESTABLISHED] = 15 * MINUTE_NS;
        tcp[ConnectionState.SYN_SENT] = 2 * MINUTE_NS;
        tcp[ConnectionState.SYN_RECV] = MINUTE_NS;
        tcp[ConnectionState.FIN_WAIT] = 2 * MINUTE_NS;
        tcp[ConnectionState.TIME_WAIT] = 2 * MINUTE_NS;
        tcp[ConnectionState.CLOSE] = 10 * SECOND_NS;
        tcp[ConnectionState.CLOSE_WAIT] = MINUTE_NS;
        tcp[ConnectionState.LAST_ACK] = 30 * SECOND_NS;
        tcp[ConnectionState.LISTEN] = 2 * MINUTE_NS;
        tcp[ConnectionState.SYNACK] = 120 * SECOND_NS;
        IPVS_DEFAULTS = new Timeouts(tcp, 5 * MINUTE_NS);
    }

    private final long[] tcpNs;
    private final long udpNs;

    private Timeouts(final long[] tcpNs, final long udpNs)
    {
        this.tcpNs = tcpNs;
        this.udpNs = udpNs;
    }

    /** IPVS's defaults: ESTABLISHED 900 s, SYN_RECV 60 s, FIN_WAIT 120 s, CLOSE 10 s, ..., UDP 300 s. */
    public static Timeouts ipvsDefaults()
    {
        return IPVS_DEFAULTS;
    }

    /**
     * The timeout an entry gets when it enters {@code state}: the TCP table for TCP, the UDP timeout for UDP and
     * any other protocol (the table tracks those like UDP).
     */
    public long timeoutNs(final int protocol, final int state)
    {
        if (protocol == IpProtocol.TCP)
        {
            return state >= 0 && state < tcpNs.length ? tcpNs[state] : TCP_UNKNOWN_STATE_NS;
        }
        return udpNs;
    }

    /** {@code ipvsadm --set tcp}: the ESTABLISHED timeout in seconds; 0 keeps the current value, as ipvsadm does. */
    public Timeouts withTcp(final long seconds)
    {
        return withTcpState(ConnectionState.ESTABLISHED, seconds);
    }

    /** {@code ipvsadm --set tcpfin}: the FIN_WAIT timeout in seconds; 0 keeps the current value. */
    public Timeouts withTcpFin(final long seconds)
    {
        return withTcpState(ConnectionState.FIN_WAIT, seconds);
    }

    /** {@code ipvsadm --set udp}: the UDP timeout in seconds; 0 keeps the current value. */
    public Timeouts withUdp(final long seconds)
    {
        checkSeconds(seconds);
        return seconds == 0 ? this : new Timeouts(tcpNs, TimeUnit.SECONDS.toNanos(seconds));
    }

    /** Any TCP state's timeout in seconds; 0 keeps the current value (ipvsadm reaches only the three above). */
    public Timeouts withTcpState(final int state, final long seconds)
    {
        if (!ConnectionState.isTcp(state))
        {
            throw new IllegalArgumentException("not a TCP state, state=" + state);
        }
        checkSeconds(seconds);
        if (seconds == 0)
        {
            return this;
        }
        final long[] tcp = Arrays.copyOf(tcpNs, tcpNs.length);
        tcp[state] = TimeUnit.SECONDS.toNanos(seconds);
        return new Timeouts(tcp, udpNs);
    }

    /** What {@code ipvsadm -L --timeout} shows as tcp. */
    public long tcpSeconds()
    {
        return TimeUnit.NANOSECONDS.toSeconds(tcpNs[ConnectionState.ESTABLISHED]);
    }

    /** What {@code ipvsadm -L --timeout} shows as tcpfin. */
    public long tcpFinSeconds()
    {
        return TimeUnit.NANOSECONDS.toSeconds(tcpNs[ConnectionState.FIN_WAIT]);
    }

    /** What {@code ipvsadm -L --timeout} shows as udp. */
    public long udpSeconds()
    {
        return TimeUnit.NANOSECONDS.toSeconds(udpNs);
    }

    private static void checkSeconds(final long seconds)
    {
        // ipvsadm takes an int of seconds; the table stores nanoseconds, so bound it well below overflow.
        if (seconds < 0 || seconds > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("timeout must be 0.." + Integer.MAX_VALUE + " s, seconds=" + seconds);
        }
    }

    @Override
    public String toString()
    {
        return "Timeout (tcp tcpfin udp): " + tcpSeconds() + " " + tcpFinSeconds() + " " + udpSeconds();
    }
}
