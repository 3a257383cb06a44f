package io.jlvs.cli.listing;

/**
 * The rates ipvsadm's {@code --rate} prints for a service or a real server, per second, as IPVS's estimator decodes
 * them.
 *
 * @param cps    connections per second.
 * @param inPps  packets from clients per second.
 * @param outPps packets to clients per second: 0 in DR and TUN, where replies bypass the director.
 * @param inBps  bytes from clients per second.
 * @param outBps bytes to clients per second, 0 for the same reason.
 */
public record Rates(long cps, long inPps, long outPps, long inBps, long outBps)
{
    public static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
}
