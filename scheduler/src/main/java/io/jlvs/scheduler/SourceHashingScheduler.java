package io.jlvs.scheduler;

/**
 * IPVS {@code sh} ({@code net/netfilter/ipvs/ip_vs_sh.c}): a static 256-bucket table indexed by a hash of the
 * client address (and, with {@code sh-port}, the client port), so that a client keeps its server.
 * <p>
 * The buckets are dealt to the enabled servers in list order, {@code weight} consecutive buckets each (at least
 * one, so a quiesced server keeps a bucket), round and round. A pick is
 * {@code table[hash_32(port + addr, 8)]}; when that server is quiesced, overloaded or unavailable the pick is none,
 * or with {@code sh-fallback} the first usable server at {@code (offset + hash_32(port + addr, 8)) & 255} for
 * offsets from the original bucket on. The port counts only for TCP, UDP and SCTP. IPVS shares the flag bits
 * between sh and mh ({@code IP_VS_SVC_F_SCHED1/2}), so {@code mh-fallback}/{@code mh-port} act here too.
 * <p>
 * The table reads the weights when the instance is built: rebuild it after a weight or set change, as IPVS's
 * {@code upd_dest} does.
 */
public final class SourceHashingScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "sh";

    /** {@code CONFIG_IP_VS_SH_TAB_BITS} default. */
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;

    private final RealServer[] table = new RealServer[TAB_SIZE];
    private final boolean fallback;
    private final boolean hashPort;

    public SourceHashingScheduler(final RealServer[] servers, final SchedulerFlags flags)
    {
        final RealServer[] destinations = DestinationHashingScheduler.enabled(ServerIndex.requireServers(servers));
        this.fallback = flags.has(SchedulerFlags.SCHED1);
        this.hashPort = flags.has(SchedulerFlags.SCHED2);
        if (destinations.length > 0)
        {
            int position = 0;
            int filled = 0;
            for (int bucket = 0; bucket < TAB_SIZE; bucket++)
            {
                final RealServer server = destinations[position];
                table[bucket] = server;
                // Don't move to the next server until it has its weight in buckets (a weight of 0 gets one).
                if (++filled >= server.weight())
                {
                    position = (position + 1) % destinations.length;
                    filled = 0;
                }
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
        final int port = hashPort && KernelHash.hasPorts(protocol) ? clientPort : 0;
        final int firstBucket = hashKey(clientAddr, port, 0);
        RealServer server = table[firstBucket];
        if (server == null)
        {
            return null;
        }
        if (usable(server))
        {
            return server;
        }
        if (!fallback)
        {
            return null;
        }
        for (int offset = 0; offset < TAB_SIZE; offset++)
        {
            final int roffset = (offset + firstBucket) % TAB_SIZE;
            server = table[hashKey(clientAddr, port, roffset)];
            if (server == null)
            {
                break;
            }
            if (usable(server))
            {
                return server;
            }
        }
        return null;
    }

    /** {@code ip_vs_sh_hashkey}: {@code (offset + hash_32(port + addr, 8)) & mask}. */
    static int hashKey(final int address, final int port, final int offset)
    {
        return (offset + KernelHash.hash32(port + address, TAB_BITS)) & TAB_MASK;
    }

    /** The server in a bucket, for tests. */
    RealServer bucket(final int bucket)
    {
        return table[bucket];
    }

    /** The negation of the kernel's {@code is_unavailable}, plus jlvs's availability (enabled, MAC resolved). */
    private static boolean usable(final RealServer server)
    {
        return server.weight() > 0 && !server.isOverloaded() && server.isAvailable();
    }

    /** Registers {@code sh}. */
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
            return new SourceHashingScheduler(servers, flags);
        }
    }
}
