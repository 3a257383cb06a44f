package io.jlvs.scheduler;

/**
 * IPVS {@code lblcr} ({@code net/netfilter/ipvs/ip_vs_lblcr.c}), locality-based least-connection with
 * replication: each destination address maps to a set of servers; a connection goes to the least loaded member,
 * and the set grows by the {@code wlc} pick when that member is busy and shrinks by its most loaded member when it
 * has not changed for {@code expiration}.
 * <p>
 * The kernel's rule: the set's weighted least-connection member (skipping overloaded, unavailable and removed
 * servers, starting from the first with weight &gt; 0) is used unless it is "overloaded" in lblc's sense
 * ({@code active > weight} while some server has {@code active * 2 < weight}), or there is none; then the
 * {@code wlc} pick over all servers is used and added to the set. Before that, a set of more than one member that
 * was last modified over {@code expiration} ago loses its weighted most-loaded member. Members are kept newest
 * first, as the kernel's list. The key is the packet's destination (the virtual address in DR/TUN).
 * <p>
 * Sets live in a preallocated pool of members; when it is exhausted a member is not added, as when the kernel's
 * allocation fails. Cache and aging as {@link LocalityBasedLeastConnectionScheduler}.
 */
public final class LocalityBasedLeastConnectionReplicationScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "lblcr";

    /** Room for two members per cached address on average. */
    static final int MEMBERS_PER_ENTRY = 2;

    private final RealServer[] servers;
    private final ServerIndex index;
    private final NanoClock clock;
    private final Cache cache;

    public LocalityBasedLeastConnectionReplicationScheduler(final RealServer[] servers, final NanoClock clock)
    {
        this(servers, clock, AddressCache.DEFAULT_CAPACITY, AddressCache.DEFAULT_EXPIRATION_NS, null);
    }

    /**
     * Control plane.
     *
     * @param capacity     most cached addresses; the member pool holds twice as many servers.
     * @param expirationNs sysctl {@code lblcr_expiration}: how long a set stays unmodified before it shrinks, and
     *                     entries unused this long go at the half-hourly check.
     * @param previous     the instance being replaced, or null: this one takes over its cache (with that cache's
     *                     capacity and expiration) and never touches it before it is published.
     */
    public LocalityBasedLeastConnectionReplicationScheduler(
        final RealServer[] servers,
        final NanoClock clock,
        final int capacity,
        final long expirationNs,
        final LocalityBasedLeastConnectionReplicationScheduler previous)
    {
        this.servers = servers;
        this.index = new ServerIndex(servers);
        this.clock = clock;
        this.cache = previous != null ? previous.cache :
            new Cache(capacity, capacity * MEMBERS_PER_ENTRY, expirationNs, clock.nanoTime());
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
        if (entry == AddressCache.NIL)
        {
            final RealServer server = WeightedLeastConnectionScheduler.leastLoaded(servers);
            if (server != null)
            {
                final int created = cache.insert(vaddr, nowNs);
                if (created != AddressCache.NIL)
                {
                    cache.add(created, server, nowNs);
                }
            }
            return server;
        }

        cache.touch(entry, nowNs);
        final RealServer least = leastLoadedMember(entry);
        if (cache.size[entry] > 1 && nowNs - (cache.lastModNs[entry] + cache.expirationNs()) > 0)
        {
            final RealServer most = mostLoadedMember(entry);
            if (most != null)
            {
                cache.remove(entry, most, nowNs);
            }
        }
        if (least != null && !LocalityBasedLeastConnectionScheduler.isOverloaded(least, servers))
        {
            return least;
        }
        final RealServer server = WeightedLeastConnectionScheduler.leastLoaded(servers);
        if (server != null)
        {
            cache.addIfAbsent(entry, server, nowNs);
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

    /** Members of the set cached for {@code address}, newest first (empty if none), for tests and listings. */
    public RealServer[] members(final int address)
    {
        final int entry = cache.find(address);
        if (entry == AddressCache.NIL)
        {
            return new RealServer[0];
        }
        final RealServer[] members = new RealServer[cache.size[entry]];
        int i = 0;
        for (int m = cache.head[entry]; m != AddressCache.NIL; m = cache.memberNext[m])
        {
            members[i++] = cache.member[m];
        }
        return members;
    }

    /** Available as the kernel means it: still in the service and (jlvs) enabled with a MAC. */
    private boolean isAvailable(final RealServer server)
    {
        return index.positionOf(server.id()) >= 0 && server.isAvailable();
    }

    /** {@code ip_vs_dest_set_min}. */
    private RealServer leastLoadedMember(final int entry)
    {
        final Cache cache = this.cache;
        int m = cache.head[entry];
        RealServer least = null;
        long leastOverhead = 0;
        for (; m != AddressCache.NIL; m = cache.memberNext[m])
        {
            final RealServer server = cache.member[m];
            if (server.isOverloaded())
            {
                continue;
            }
            if (server.weight() > 0 && isAvailable(server))
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
        for (m = cache.memberNext[m]; m != AddressCache.NIL; m = cache.memberNext[m])
        {
            final RealServer server = cache.member[m];
            if (server.isOverloaded())
            {
                continue;
            }
            final long overhead = server.overhead();
            if (leastOverhead * server.weight() > overhead * least.weight() && isAvailable(server))
            {
                least = server;
                leastOverhead = overhead;
            }
        }
        return least;
    }

    /** {@code ip_vs_dest_set_max}: the weighted most-loaded member with weight &gt; 0. */
    private RealServer mostLoadedMember(final int entry)
    {
        final Cache cache = this.cache;
        int m = cache.head[entry];
        RealServer most = null;
        long mostOverhead = 0;
        for (; m != AddressCache.NIL; m = cache.memberNext[m])
        {
            final RealServer server = cache.member[m];
            if (server.weight() > 0)
            {
                most = server;
                mostOverhead = server.overhead();
                break;
            }
        }
        if (most == null)
        {
            return null;
        }
        for (m = cache.memberNext[m]; m != AddressCache.NIL; m = cache.memberNext[m])
        {
            final RealServer server = cache.member[m];
            final long overhead = server.overhead();
            final int weight = server.weight();
            if (mostOverhead * weight < overhead * most.weight() && weight > 0)
            {
                most = server;
                mostOverhead = overhead;
            }
        }
        return most;
    }

    /** Address to a set of servers: a list of members per entry, from a shared pool. */
    static final class Cache extends AddressCache
    {
        final int[] head;
        final int[] size;
        final long[] lastModNs;
        final RealServer[] member;
        final int[] memberNext;
        private int freeMember;

        Cache(final int capacity, final int members, final long expirationNs, final long nowNs)
        {
            super(capacity, expirationNs, nowNs);
            head = new int[capacity];
            size = new int[capacity];
            lastModNs = new long[capacity];
            member = new RealServer[members];
            memberNext = new int[members];
            for (int i = 0; i < members; i++)
            {
                memberNext[i] = i + 1 < members ? i + 1 : NIL;
            }
            freeMember = members > 0 ? 0 : NIL;
        }

        /** A new entry's first member ({@code ip_vs_dest_set_insert} without the duplicate check). */
        void add(final int entry, final RealServer server, final long nowNs)
        {
            head[entry] = NIL;
            size[entry] = 0;
            insertMember(entry, server, nowNs);
        }

        void addIfAbsent(final int entry, final RealServer server, final long nowNs)
        {
            for (int m = head[entry]; m != NIL; m = memberNext[m])
            {
                if (member[m] == server)
                {
                    return;
                }
            }
            insertMember(entry, server, nowNs);
        }

        private void insertMember(final int entry, final RealServer server, final long nowNs)
        {
            final int m = freeMember;
            if (m == NIL)
            {
                return;
            }
            freeMember = memberNext[m];
            member[m] = server;
            memberNext[m] = head[entry];
            head[entry] = m;
            size[entry]++;
            lastModNs[entry] = nowNs;
        }

        /** {@code ip_vs_dest_set_erase}. */
        void remove(final int entry, final RealServer server, final long nowNs)
        {
            int previous = NIL;
            for (int m = head[entry]; m != NIL; m = memberNext[m])
            {
                if (member[m] == server)
                {
                    if (previous == NIL)
                    {
                        head[entry] = memberNext[m];
                    }
                    else
                    {
                        memberNext[previous] = memberNext[m];
                    }
                    freeOne(m);
                    size[entry]--;
                    lastModNs[entry] = nowNs;
                    return;
                }
                previous = m;
            }
        }

        @Override
        void release(final int entry)
        {
            int m = head[entry];
            while (m != NIL)
            {
                final int following = memberNext[m];
                freeOne(m);
                m = following;
            }
            head[entry] = NIL;
            size[entry] = 0;
        }

        private void freeOne(final int m)
        {
            member[m] = null;
            memberNext[m] = freeMember;
            freeMember = m;
        }
    }

    /** Registers {@code lblcr}. */
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
            return new LocalityBasedLeastConnectionReplicationScheduler(servers, clock, capacity, expirationNs, null);
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
        {
            return new LocalityBasedLeastConnectionReplicationScheduler(servers, clock, capacity, expirationNs,
                previous instanceof LocalityBasedLeastConnectionReplicationScheduler ?
                    (LocalityBasedLeastConnectionReplicationScheduler)previous : null);
        }
    }
}
