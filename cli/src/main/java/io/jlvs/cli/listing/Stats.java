package io.jlvs.cli.listing;

/**
 * The traffic totals ipvsadm's {@code --stats} prints for a service or a real server.
 *
 * @param conns    connections scheduled.
 * @param inPkts   packets from clients.
 * @param outPkts  packets to clients: always 0 in DR and TUN, where replies bypass the director (as in IPVS).
 * @param inBytes  bytes from clients.
 * @param outBytes bytes to clients, 0 for the same reason.
 */
public record Stats(long conns, long inPkts, long outPkts, long inBytes, long outBytes)
{
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0);

    /** The element-wise difference: counters less a baseline taken earlier (see {@link ServerStatistics}). */
    public Stats minus(final Stats baseline)
    {
        return new Stats(conns - baseline.conns, inPkts - baseline.inPkts, outPkts - baseline.outPkts,
            inBytes - baseline.inBytes, outBytes - baseline.outBytes);
    }

    /** The element-wise sum, for a service's totals over its servers. */
    public Stats plus(final Stats other)
    {
        return new Stats(conns + other.conns, inPkts + other.inPkts, outPkts + other.outPkts,
            inBytes + other.inBytes, outBytes + other.outBytes);
    }
}
