package io.jlvs.scheduler;

/**
 * IPVS {@code lblc} ({@code net/netfilter/ipvs/ip_vs_lblc.c}), locality-based least-connection: sends each
 * destination address to the server it went to last, for cache clusters, re-placing it by {@code wlc} when that
 * server is gone, quiesced or too busy.
 * <p>
 * The kernel's rule: a cached server is kept while it is available, its weight is positive and it is not
 * "overloaded" in lblc's own sense, which is {@code active > weight} while some server has
 * {@code active * 2 < weight} (the connection-threshold flag does not invalidate an entry). Otherwise the
 * {@code wlc} pick becomes the new entry. The key is the packet's destination, which for a DR/TUN virtual service
 * is its virtual address. The cache ({@link AddressCache}) is bounded, preallocated and aged by the kernel's
 * timer logic, run from {@link #select} and {@link #expire(long)} with the {@link NanoClock} given.
 */
public final class LocalityBasedLeastConnectionScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "lblc";

    private final RealServer[] servers;
    private final ServerIndex index;
    private final NanoClock clock;
    private final Cache cache;

    public LocalityBasedLeastConnectionScheduler(final RealServer[] servers, final NanoClock clock)
    {
        this(servers, clock, AddressCache.DEFAULT_CAPACITY, AddressCache.DEFAULT_EXPIRATION_NS, null);
    }

    /**
     * Control plane.
     *
     * @param capacity     most cached addresses.
     * @param expirationNs sysctl {@code lblc_expiration}: entries unused this long go at the half-hourly check.
     * @param previous     the instance being replaced, or null: this one takes over its cache (with that cache's
     *                     capacity and expiration) and never touches it before it is published.
     */
    public LocalityBasedLeastConnectionScheduler(
        final RealServer[] servers,
        final NanoClock clock,
        final int capacity,
        final long expirationNs,
        final LocalityBasedLeastConnectionScheduler previous)
    {
        this.servers = servers;
        this.index = new ServerIndex(servers);
        this.clock = clock;
        this.cache = previous != null ? previous.cache : new Cache(capacity, expirationNs, clock.nanoTime());
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
        final long nowNs = clock.nanoTime();
        final Cache cache = this.cache;
        cache.expire(nowNs);
        final int entry = cache.find(vaddr);
        if (entry != AddressCache.NIL)
        {
            cache.touch(entry, nowNs);
            final RealServer cached = cache.dest[entry];
            if (index.positionOf(cached.id()) >= 0 && cached.isAvailable() && cached.weight() > 0 &&
                !isOverloaded(cached, servers))
            {
                return cached;
            }
        }
        final RealServer server = WeightedLeastConnectionScheduler.leastLoaded(servers);
        if (server == null)
        {
            return null;
        }
        if (entry != AddressCache.NIL)
        {
            if (cache.dest[entry] != server)
            {
                // ip_vs_lblc_new replaces the entry: a new server, used now.
                cache.dest[entry] = server;
                cache.touch(entry, nowNs);
            }
        }
        else
        {
            final int created = cache.insert(vaddr, nowNs);
            if (created != AddressCache.NIL)
            {
                cache.dest[created] = server;
            }
        }
        return server;
    }

    @Override
    public void expire(final long nowNs)
    {
        cache.expire(nowNs);
    }

    /** Cached addresses, for tests and listings. */
    public int cachedAddresses()
    {
        return cache.size();
    }

    /**
     * lblc's own overload test ({@code is_overloaded}): more active connections than weight while some available
     * server is under half its weight.
     */
    static boolean isOverloaded(final RealServer server, final RealServer[] servers)
    {
        if (server.activeConns() > server.weight())
        {
            for (final RealServer other : servers)
            {
                if ((long)other.activeConns() * 2 < other.weight() && other.isAvailable())
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Address to server. */
    static final class Cache extends AddressCache
    {
        final RealServer[] dest;

        Cache(final int capacity, final long expirationNs, final long nowNs)
        {
            super(capacity, expirationNs, nowNs);
            dest = new RealServer[capacity];
        }

        @Override
        void release(final int entry)
        {
            dest[entry] = null;
        }
    }

    /** Registers {@code lblc}. */
    public static final class Factory implements SchedulerFactory
    {
        private final NanoClock clock;
        private final int capacity;
        private final long expirationNs;

        /** The system clock, the kernel's defaults (24 h expiration), room for 32768 addresses. */
        public Factory()
        {
            this(NanoClock.SYSTEM, AddressCache.DEFAULT_CAPACITY, AddressCache.DEFAULT_EXPIRATION_NS);
        }

        public Factory(final NanoClock clock, final int capacity, final long expirationNs)
        {
            this.clock = clock;
            this.capacity = capacity;
            this.expirationNs = expirationNs;
        }

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new LocalityBasedLeastConnectionScheduler(servers, clock, capacity, expirationNs, null);
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
        {
            return new LocalityBasedLeastConnectionScheduler(servers, clock, capacity, expirationNs,
                previous instanceof LocalityBasedLeastConnectionScheduler ?
                    (LocalityBasedLeastConnectionScheduler)previous : null);
        }
    }
}
