package io.jlvs.scheduler;

/**
 * IPVS {@code nq} ({@code net/netfilter/ipvs/ip_vs_nq.c}): the first idle server (no active connection) if there
 * is one, else the shortest expected delay {@code (active + 1) / weight} as {@code sed}.
 * <p>
 * Overloaded, quiesced and unavailable servers are skipped. Stateless.
 */
public final class NeverQueueScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "nq";

    private final RealServer[] servers;

    public NeverQueueScheduler(final RealServer[] servers)
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
        RealServer least = null;
        long leastOverhead = 0;
        for (final RealServer server : servers)
        {
            if (server.isOverloaded() || server.weight() == 0 || !server.isAvailable())
            {
                continue;
            }
            if (server.activeConns() == 0)
            {
                return server;
            }
            final long overhead = ShortestExpectedDelayScheduler.expectedOverhead(server);
            if (least == null || leastOverhead * server.weight() > overhead * least.weight())
            {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** Registers {@code nq}. */
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
            return new NeverQueueScheduler(servers);
        }
    }
}
