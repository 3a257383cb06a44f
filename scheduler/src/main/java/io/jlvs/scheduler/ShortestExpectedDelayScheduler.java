package io.jlvs.scheduler;

/**
 * IPVS {@code sed} ({@code net/netfilter/ipvs/ip_vs_sed.c}): picks the server with the shortest expected delay
 * {@code (active + 1) / weight}, counting the connection being placed; inactive connections are ignored.
 * <p>
 * As wlc: the first server that is not overloaded, not quiesced and available is the candidate; a later server
 * that is not overloaded replaces it when {@code (candidateActive + 1) * weight > (active + 1) * candidateWeight},
 * cross-multiplied in 64 bits. Stateless.
 */
public final class ShortestExpectedDelayScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "sed";

    private final RealServer[] servers;

    public ShortestExpectedDelayScheduler(final RealServer[] servers)
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
        final RealServer[] servers = this.servers;
        int position = 0;
        RealServer least = null;
        long leastOverhead = 0;
        for (; position < servers.length; position++)
        {
            final RealServer server = servers[position];
            if (server.weight() > 0 && !server.isOverloaded() && server.isAvailable())
            {
                least = server;
                leastOverhead = expectedOverhead(server);
                break;
            }
        }
        if (least == null)
        {
            return null;
        }
        for (position = position + 1; position < servers.length; position++)
        {
            final RealServer server = servers[position];
            if (server.isOverloaded() || !server.isAvailable())
            {
                continue;
            }
            final long overhead = expectedOverhead(server);
            if (leastOverhead * server.weight() > overhead * least.weight())
            {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** {@code ip_vs_sed_dest_overhead}: active connections plus the one being scheduled. */
    static long expectedOverhead(final RealServer server)
    {
        return (long)server.activeConns() + 1;
    }

    /** Registers {@code sed}. */
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
            return new ShortestExpectedDelayScheduler(servers);
        }
    }
}
