package io.jlvs.scheduler;

/**
 * IPVS {@code wlc} ({@code net/netfilter/ipvs/ip_vs_wlc.c}), the default: picks the server with the least
 * overhead per unit of weight, overhead being {@code active * 256 + inactive}.
 * <p>
 * The first server that is not overloaded, not quiesced and available is the candidate; each later server that is
 * not overloaded replaces it when {@code candidateOverhead * weight > overhead * candidateWeight} (the division
 * {@code h1/w1 > h2/w2} done by cross-multiplying in 64 bits, as the kernel does). Ties keep the earlier server;
 * weight 0 never wins. Stateless: a rebuilt instance behaves the same from its first pick.
 */
public final class WeightedLeastConnectionScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "wlc";

    private final RealServer[] servers;

    public WeightedLeastConnectionScheduler(final RealServer[] servers)
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
        return leastLoaded(servers);
    }

    /**
     * The kernel's weighted least-connection pick over {@code servers}, also used by {@code lblc} and
     * {@code lblcr} ({@code __ip_vs_lblc_schedule}). Allocation-free; null when no server qualifies.
     */
    static RealServer leastLoaded(final RealServer[] servers)
    {
        int position = 0;
        RealServer least = null;
        long leastOverhead = 0;
        for (; position < servers.length; position++)
        {
            final RealServer server = servers[position];
            if (server.weight() > 0 && !server.isOverloaded() && server.isAvailable())
            {
                least = server;
                leastOverhead = server.overhead();
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
            final long overhead = server.overhead();
            if (leastOverhead * server.weight() > overhead * least.weight())
            {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** Registers {@code wlc}. */
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
            return new WeightedLeastConnectionScheduler(servers);
        }
    }
}
