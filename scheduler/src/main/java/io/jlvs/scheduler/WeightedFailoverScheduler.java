package io.jlvs.scheduler;

/**
 * IPVS {@code fo} ({@code net/netfilter/ipvs/ip_vs_fo.c}), weighted fail-over: every new connection goes to the
 * server with the highest weight that is not overloaded and available; the first of equal weights wins.
 * Stateless.
 */
public final class WeightedFailoverScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "fo";

    private final RealServer[] servers;

    public WeightedFailoverScheduler(final RealServer[] servers)
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
            if (weight > highestWeight && !server.isOverloaded() && server.isAvailable())
            {
                highest = server;
                highestWeight = weight;
            }
        }
        return highest;
    }

    /** Registers {@code fo}. */
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
            return new WeightedFailoverScheduler(servers);
        }
    }
}
