package io.jlvs.scheduler;

/**
 * IPVS {@code lc} ({@code net/netfilter/ipvs/ip_vs_lc.c}): picks the server with the least overhead
 * ({@code active * 256 + inactive}), weights apart from 0 being ignored.
 * <p>
 * Overloaded, quiesced (weight 0) and unavailable servers are skipped; the first of equally loaded servers wins
 * (the kernel compares its unsigned overheads with a strict {@code <}). Stateless.
 */
public final class LeastConnectionScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "lc";

    private final RealServer[] servers;

    public LeastConnectionScheduler(final RealServer[] servers)
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
            // The kernel's overheads are unsigned ints.
            final long overhead = Integer.toUnsignedLong(server.overhead());
            if (least == null || overhead < leastOverhead)
            {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** Registers {@code lc}. */
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
            return new LeastConnectionScheduler(servers);
        }
    }
}
