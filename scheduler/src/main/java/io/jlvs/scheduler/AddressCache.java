package io.jlvs.scheduler;

import java.util.Arrays;

/**
 * The per-service cache of {@code lblc}/{@code lblcr}: entries keyed by destination address in a 1024-bucket
 * chained hash table, held in preallocated primitive arrays so that lookups, inserts and expiry allocate nothing.
 * <p>
 * Expiry is the kernel's periodic timer ({@code ip_vs_lblc_check_expire}), run from the forwarding thread when
 * {@link #expire(long)} finds it due, every {@value #CHECK_EXPIRE_INTERVAL_SECONDS} s: every 30th run drops the
 * entries unused for {@code expiration} (sysctl {@code lblc_expiration}, default 24 h); otherwise, while the table
 * holds more than 16384 entries, it drops entries unused for 6 minutes, bucket by bucket from a rover, until 4/3 of
 * the excess (at most 8192) are gone. Unlike the kernel's, the table has a fixed capacity; when it is full a new
 * address is scheduled but not cached, as the kernel does when its allocation fails. One writer: the forwarding
 * thread; a rebuilt scheduler takes over its predecessor's cache, as IPVS keeps the table across dest changes.
 */
abstract class AddressCache
{
    /** {@code CONFIG_IP_VS_LBLC_TAB_BITS} default. */
    static final int TAB_BITS = 10;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;
    /** {@code tbl->max_size}: above this many entries the timer collects stale ones. */
    static final int MAX_SIZE = TAB_SIZE * 16;
    /** Room above {@link #MAX_SIZE} for the entries made between two timer runs. */
    static final int DEFAULT_CAPACITY = MAX_SIZE * 2;
    static final int CHECK_EXPIRE_INTERVAL_SECONDS = 60;
    static final long CHECK_EXPIRE_INTERVAL_NS = CHECK_EXPIRE_INTERVAL_SECONDS * 1_000_000_000L;
    /** Entries unused this long may go when the table is over {@link #MAX_SIZE}. */
    static final long ENTRY_TIMEOUT_NS = 6 * 60 * 1_000_000_000L;
    /** Default of the {@code lblc_expiration}/{@code lblcr_expiration} sysctls: one day. */
    static final long DEFAULT_EXPIRATION_NS = 24 * 60 * 60 * 1_000_000_000L;
    /** Every 30th timer run (half an hour) is a full expiration check. */
    static final int COUNT_FOR_FULL_EXPIRATION = 30;
    static final int NIL = -1;

    private final int[] bucketHead = new int[TAB_SIZE];
    private final int[] next;
    private final int[] address;
    private final long[] lastUseNs;
    private final long expirationNs;
    private int free;
    private int entries;
    private int rover;
    private int counter = 1;
    private long nextCheckNs;

    /** Control plane. */
    AddressCache(final int capacity, final long expirationNs, final long nowNs)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1, capacity=" + capacity);
        }
        if (expirationNs <= 0)
        {
            throw new IllegalArgumentException("expirationNs must be > 0, expirationNs=" + expirationNs);
        }
        this.next = new int[capacity];
        this.address = new int[capacity];
        this.lastUseNs = new long[capacity];
        this.expirationNs = expirationNs;
        Arrays.fill(bucketHead, NIL);
        for (int i = 0; i < capacity; i++)
        {
            next[i] = i + 1 < capacity ? i + 1 : NIL;
        }
        this.free = 0;
        this.nextCheckNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
    }

    /** The kernel's {@code ip_vs_lblc_hashkey}: {@code hash_32(addr, 10)}. */
    static int bucketOf(final int address)
    {
        return KernelHash.hash32(address, TAB_BITS);
    }

    /** The entry for this address, or {@link #NIL}. */
    final int find(final int address)
    {
        for (int entry = bucketHead[bucketOf(address)]; entry != NIL; entry = next[entry])
        {
            if (this.address[entry] == address)
            {
                return entry;
            }
        }
        return NIL;
    }

    /** A new entry for an address not in the table, used now; {@link #NIL} when the table is full. */
    final int insert(final int address, final long nowNs)
    {
        final int entry = free;
        if (entry == NIL)
        {
            return NIL;
        }
        free = next[entry];
        final int bucket = bucketOf(address);
        this.address[entry] = address;
        lastUseNs[entry] = nowNs;
        next[entry] = bucketHead[bucket];
        bucketHead[bucket] = entry;
        entries++;
        return entry;
    }

    final void touch(final int entry, final long nowNs)
    {
        lastUseNs[entry] = nowNs;
    }

    final long expirationNs()
    {
        return expirationNs;
    }

    /** Entries in use. */
    final int size()
    {
        return entries;
    }

    /** Runs the kernel's periodic check if it is due; forwarding thread. */
    final void expire(final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return;
        }
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0)
        {
            sweep(nowNs, expirationNs, Integer.MAX_VALUE);
            counter = 1;
        }
        else if (entries <= MAX_SIZE)
        {
            counter++;
        }
        else
        {
            final int goal = Math.min((entries - MAX_SIZE) * 4 / 3, MAX_SIZE / 2);
            sweep(nowNs, ENTRY_TIMEOUT_NS, goal);
        }
        nextCheckNs = nowNs + CHECK_EXPIRE_INTERVAL_NS;
    }

    /** Drops entries unused for {@code idleNs}, bucket by bucket after the rover, until {@code goal} are gone. */
    private void sweep(final long nowNs, final long idleNs, final int goal)
    {
        int remaining = goal;
        int bucket = rover;
        for (int i = 0; i < TAB_SIZE; i++)
        {
            bucket = (bucket + 1) & TAB_MASK;
            int previous = NIL;
            int entry = bucketHead[bucket];
            while (entry != NIL)
            {
                final int following = next[entry];
                if (nowNs - (lastUseNs[entry] + idleNs) >= 0)
                {
                    if (previous == NIL)
                    {
                        bucketHead[bucket] = following;
                    }
                    else
                    {
                        next[previous] = following;
                    }
                    release(entry);
                    next[entry] = free;
                    free = entry;
                    entries--;
                    remaining--;
                }
                else
                {
                    previous = entry;
                }
                entry = following;
            }
            if (remaining <= 0)
            {
                break;
            }
        }
        rover = bucket;
    }

    /** Frees what the subclass holds for an entry being dropped. */
    abstract void release(int entry);
}
