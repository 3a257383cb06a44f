package io.jlvs.scheduler;

/**
 * IPVS {@code dh} ({@code net/netfilter/ipvs/ip_vs_dh.c}): a static 256-bucket table indexed by a hash of the
 * packet's destination address (the virtual address here), for cache clusters.
 * <p>
 * The buckets are dealt to the enabled servers in list order, one each, round and round, whatever their weights.
 * A pick is {@code table[hash_32(vaddr, 8)]}, or none when that server is unavailable, quiesced or overloaded:
 * there is no fallback. The table is built with the instance; rebuild it when the set changes, as IPVS's
 * {@code add_dest}/{@code del_dest} do.
 */
public final class DestinationHashingScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "dh";

    /** {@code CONFIG_IP_VS_DH_TAB_BITS} default. */
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;

    private final RealServer[] table = new RealServer[TAB_SIZE];

    public DestinationHashingScheduler(final RealServer[] servers)
    {
        final RealServer[] destinations = enabled(ServerIndex.requireServers(servers));
        if (destinations.length > 0)
        {
            for (int bucket = 0; bucket < TAB_SIZE; bucket++)
            {
                table[bucket] = destinations[bucket % destinations.length];
            }
        }
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
        final RealServer server = table[KernelHash.hash32(vaddr, TAB_BITS)];
        if (server == null || !server.isAvailable() || server.weight() <= 0 || server.isOverloaded())
        {
            return null;
        }
        return server;
    }

    /** The server in a bucket, for tests. */
    RealServer bucket(final int bucket)
    {
        return table[bucket];
    }

    /** IPVS's destination list: the servers the control plane has not removed. */
    static RealServer[] enabled(final RealServer[] servers)
    {
        int count = 0;
        for (final RealServer server : servers)
        {
            if (server.isEnabled())
            {
                count++;
            }
        }
        final RealServer[] enabled = new RealServer[count];
        int i = 0;
        for (final RealServer server : servers)
        {
            if (server.isEnabled())
            {
                enabled[i++] = server;
            }
        }
        return enabled;
    }

    /** Registers {@code dh}. */
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
            return new DestinationHashingScheduler(servers);
        }
    }
}
