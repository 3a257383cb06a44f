package io.jlvs.scheduler;

/**
 * IPVS {@code ovf} ({@code net/netfilter/ipvs/ip_vs_ovf.c}): keeps every connection on the highest-weight server
 * until its active connections exceed its weight, then overflows to the next highest.
 * <p>
 * Skips servers that are overloaded, quiesced, unavailable or have more active connections than their weight; the
 * first of equal weights wins. Only active connections count, so it suits TCP better than UDP. Stateless.
 */
public final class OverflowConnectionScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "ovf";

    private final RealServer[] servers;

    public OverflowConnectionScheduler(final RealServer[] servers)
    {
        this.servers = ServerIndex.requireServers(servers);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RealServer select(
        final int protocol, final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        RealServer highest = null;
        int highestWeight = 0;
        for (final RealServer server : servers)
        {
            final int weight = server.weight();
            if (server.isOverloaded() || server.activeConns() > weight || weight == 0 || !server.isAvailable())
            {
                continue;
            }
            if (highest == null || weight > highestWeight)
            {
                highest = server;
                highestWeight = weight;
            }
        }
        return highest;
    }

    /** Registers {@code ovf}. */
    public static final class Factory implements SchedulerFactory
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new OverflowConnectionScheduler(servers);
        }
    }
}
