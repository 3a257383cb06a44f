package io.jlvs.healthcheck;

import java.util.function.IntToLongFunction;

/**
 * Where the {@link PathChecker}s of a {@link HealthMonitor} send their probes from; given to
 * {@link CheckerFactory#keepalived(PathProbeOptions)}. The probe socket is opened by the attempt itself, in the network
 * namespace its {@link CheckContext} runs it in.
 *
 * @param interfaceName the director interface, or null for the one the routing table leads the real server through
 *                      (read in the namespace the attempt runs in; for DR that is the director's segment).
 * @param neighbours    the running director's neighbour cache, {@code director.neighbours()::lookupShared} (any
 *                      thread may call it): a MAC it knows is used as it is, so that the probe goes exactly where
 *                      forwarded frames go; null, or {@code NeighbourTable.NO_MAC} for an address (a server the
 *                      director no longer forwards to), resolves the next hop with an ARP request from the probe's
 *                      own socket.
 */
public record PathProbeOptions(String interfaceName, IntToLongFunction neighbours)
{
    /** The interface from the routing table, MACs from the probe's own ARP: needs nothing from the director. */
    public static final PathProbeOptions FROM_ROUTES = new PathProbeOptions(null, null);

    /** Probes on {@code interfaceName}, with MACs from {@code neighbours} first. */
    public static PathProbeOptions on(final String interfaceName, final IntToLongFunction neighbours)
    {
        return new PathProbeOptions(interfaceName, neighbours);
    }
}
