package io.jlvs.scheduler;

/**
 * IPVS {@code mh} ({@code net/netfilter/ipvs/ip_vs_mh.c}), Maglev hashing (Eisenbud et al., NSDI 2016, section
 * 3.4): a prime-sized lookup table filled from per-server permutations so that each server holds a share of the
 * slots proportional to its weight and a change of the server set moves few slots.
 * <p>
 * Built as the kernel builds it. Each enabled server gets {@code offset = h1(port + addr) % M} and
 * {@code skip = h2(port + addr) % (M - 1) + 1}, its permutation being {@code offset, offset + skip, ...} mod M;
 * {@code h1}, {@code h2} are the 64-bit kernel's {@code hsiphash} under IPVS's fixed keys, so the table is the one a
 * kernel director builds for the same servers in the same order. Servers take turns in list order, each claiming
 * {@code turns = (lastWeight / gcd) >> rshift} (at least one for a non-zero weight) free slots per turn, where
 * {@code rshift} keeps {@code maxWeight / gcd} within {@code TAB_BITS} bits. The table uses the last non-zero
 * weight ({@link RealServer#lastWeight()}), so a quiesced server keeps its slots and its clients come back when it
 * returns.
 * <p>
 * A pick is {@code table[h1(port + addr) % M]} for the client's address (and port, with {@code mh-port}, for TCP,
 * UDP and SCTP); a quiesced, overloaded or unavailable server yields none, or with {@code mh-fallback} the first
 * usable server at {@code h1(offset + port + addr) % M} for offsets from the original slot on (at most M hashes).
 * IPVS shares the flag bits with sh, so {@code sh-fallback}/{@code sh-port} act here too.
 * <p>
 * M is a prime from the kernel's list, chosen by {@code CONFIG_IP_VS_MH_TAB_INDEX} (8..17, default 12: M = 4093);
 * a share within 1% of the weights needs M of at least 100 times the servers, so larger services pass a larger
 * index to {@link Factory#Factory(int)}. The table is built with the instance: rebuild after a weight or set change.
 */
public final class MaglevHashingScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "mh";

    /** The kernel's table sizes, one prime per {@code CONFIG_IP_VS_MH_TAB_INDEX} from 8 to 17. */
    static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    /** {@code CONFIG_IP_VS_MH_TAB_INDEX}'s default and range. */
    public static final int DEFAULT_TAB_INDEX = 12;
    public static final int MIN_TAB_INDEX = 8;
    public static final int MAX_TAB_INDEX = 17;
    /** IPVS's fixed keys ({@code generate_hash_secret}): no per-boot secret, so directors agree. */
    static final long HASH1_KEY = 2654435761L;
    static final long HASH2_KEY = 2654446892L;
    private static final int INT_BITS = 32;

    private final RealServer[] lookup;
    private final int tableSize;
    private final boolean fallback;
    private final boolean hashPort;

    public MaglevHashingScheduler(final RealServer[] servers, final SchedulerFlags flags)
    {
        this(servers, flags, DEFAULT_TAB_INDEX);
    }

    /** @param tabIndex {@code CONFIG_IP_VS_MH_TAB_INDEX}, 8..17: table size {@code PRIMES[tabIndex - 8]}. */
    public MaglevHashingScheduler(final RealServer[] servers, final SchedulerFlags flags, final int tabIndex)
    {
        if (tabIndex < MIN_TAB_INDEX || tabIndex > MAX_TAB_INDEX)
        {
            throw new IllegalArgumentException("tabIndex must be 8..17, tabIndex=" + tabIndex);
        }
        final RealServer[] destinations = DestinationHashingScheduler.enabled(ServerIndex.requireServers(servers));
        this.tableSize = PRIMES[tabIndex - MIN_TAB_INDEX];
        if (destinations.length > tableSize)
        {
            throw new IllegalArgumentException("mh table of " + tableSize + " slots cannot hold " +
                destinations.length + " servers; raise tabIndex");
        }
        this.lookup = new RealServer[tableSize];
        this.fallback = flags.has(SchedulerFlags.SCHED1);
        this.hashPort = flags.has(SchedulerFlags.SCHED2);
        populate(destinations, tabIndex / 2);
    }

    private void populate(final RealServer[] destinations, final int tabBits)
    {
        final int gcd = gcdLastWeight(destinations);
        if (gcd < 1)
        {
            return;   // no server or every last weight 0: an empty table
        }
        final int rshift = shiftWeight(destinations, gcd, tabBits);
        final int count = destinations.length;
        final int[] skip = new int[count];
        final int[] perm = new int[count];
        final int[] turns = new int[count];
        for (int i = 0; i < count; i++)
        {
            final RealServer server = destinations[i];
            final int key = server.port() + server.address();
            perm[i] = Integer.remainderUnsigned(KernelHash.hsiphash(key, HASH1_KEY, HASH1_KEY), tableSize);
            skip[i] = Integer.remainderUnsigned(KernelHash.hsiphash(key, HASH2_KEY, HASH2_KEY), tableSize - 1) + 1;
            final int lastWeight = server.lastWeight();
            final int shifted = (lastWeight / gcd) >> rshift;
            turns[i] = shifted != 0 ? shifted : (lastWeight != 0 ? 1 : 0);
        }

        final boolean[] taken = new boolean[tableSize];
        int filled = 0;
        while (true)
        {
            for (int i = 0; i < count; i++)
            {
                for (int turn = 0; turn < turns[i]; turn++)
                {
                    int slot = perm[i];
                    while (taken[slot])
                    {
                        slot += skip[i];
                        if (slot >= tableSize)
                        {
                            slot -= tableSize;
                        }
                    }
                    perm[i] = slot;
                    taken[slot] = true;
                    lookup[slot] = destinations[i];
                    if (++filled == tableSize)
                    {
                        return;
                    }
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
        final int firstSlot = slot(clientAddr, port, 0);
        RealServer server = lookup[firstSlot];
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
        for (int offset = 0; offset < tableSize; offset++)
        {
            final int roffset = (int)(((long)offset + firstSlot) % tableSize);
            server = lookup[slot(clientAddr, port, roffset)];
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

    /** {@code ip_vs_mh_hashkey(addr, port, hash1, offset) % M}. */
    private int slot(final int address, final int port, final int offset)
    {
        return Integer.remainderUnsigned(KernelHash.hsiphash(offset + port + address, HASH1_KEY, HASH1_KEY), tableSize);
    }

    /** Table size M. */
    public int tableSize()
    {
        return tableSize;
    }

    /** The server in a slot (null if the table is empty), for tests and listings. */
    public RealServer slotOwner(final int slot)
    {
        return lookup[slot];
    }

    /** The negation of the kernel's {@code is_unavailable}, plus jlvs's availability (enabled, MAC resolved). */
    private static boolean usable(final RealServer server)
    {
        return server.weight() > 0 && !server.isOverloaded() && server.isAvailable();
    }

    private static int gcdLastWeight(final RealServer[] destinations)
    {
        int g = 0;
        for (final RealServer server : destinations)
        {
            final int weight = server.lastWeight();
            if (weight > 0)
            {
                g = g > 0 ? WeightedRoundRobinScheduler.gcd(weight, g) : weight;
            }
        }
        return g;
    }

    /** {@code ip_vs_mh_shift_weight}: how far to shift weight/gcd so that the largest fits in tabBits bits. */
    private static int shiftWeight(final RealServer[] destinations, final int gcd, final int tabBits)
    {
        int max = 0;
        for (final RealServer server : destinations)
        {
            max = Math.max(max, server.lastWeight());
        }
        final int mw = max / gcd;
        final int fls = INT_BITS - Integer.numberOfLeadingZeros(mw);
        return Math.max(0, fls - tabBits);
    }

    /** Registers {@code mh}. */
    public static final class Factory implements SchedulerFactory
    {
        private final int tabIndex;

        public Factory()
        {
            this(DEFAULT_TAB_INDEX);
        }

        /** @param tabIndex {@code CONFIG_IP_VS_MH_TAB_INDEX}, 8..17. */
        public Factory(final int tabIndex)
        {
            if (tabIndex < MIN_TAB_INDEX || tabIndex > MAX_TAB_INDEX)
            {
                throw new IllegalArgumentException("tabIndex must be 8..17, tabIndex=" + tabIndex);
            }
            this.tabIndex = tabIndex;
        }

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new MaglevHashingScheduler(servers, flags, tabIndex);
        }
    }
}
