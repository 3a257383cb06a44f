package io.jlvs.arp;

import org.agrona.collections.Hashing;
import org.agrona.collections.Int2IntHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The neighbour cache for the real servers: resolves their MAC addresses with ARP requests of its own and keeps
 * them fresh, so that direct routing has a destination MAC and a server that stops answering stops getting traffic.
 * <p>
 * States follow Linux's NUD machine, simplified for a host that only talks to a known set of servers:
 * <pre>
 * state       lookup   when its timer fires                                   on learn
 * INCOMPLETE  NO_MAC   broadcast probe every probeIntervalNs;                 REACHABLE
 *                      after maxProbes unanswered: FAILED
 * REACHABLE   MAC      after reachableNs: STALE, and a first unicast probe    REACHABLE (timer restarts)
 * STALE       MAC      unicast probe every probeIntervalNs;                   REACHABLE
 *                      after maxProbes unanswered: FAILED
 * FAILED      NO_MAC   broadcast probe every failedProbeIntervalNs            REACHABLE
 * </pre>
 * Unlike Linux, any ARP frame from the server (request, reply, gratuitous) makes the entry REACHABLE: seeing the
 * server send from that MAC is all direct routing needs, and Linux's "confirmed two-way" distinction buys nothing
 * here. Reachable time is not randomised (Linux spreads it over 0.5..1.5 x base) so tests stay deterministic;
 * {@link #MAX_PROBES_PER_POLL} spreads refresh bursts instead.
 * <p>
 * Threading: {@link #wanted(int[])} is the control plane's only call. It builds a complete new set of entries (the
 * map and every array, sized for the new addresses) and publishes it through one volatile field; the control plane
 * never touches it again. The forwarding thread, the single writer of entry state, adopts the new set at its next
 * {@link #poll(long, ProbeSink)}, carrying over what it knew of addresses that are still wanted, so it never sees
 * a half-built map and allocates nothing. {@link #lookup}, {@link #learn} and {@link #poll} are forwarding-thread
 * only; {@link #state(int)} and {@link #forEach(NeighbourVisitor)} may be called from any thread and see a recent
 * sample.
 */
public final class NeighbourTable
{
    /** What {@link #lookup(int)} returns for an address with no usable MAC; outside the 48 bits a MAC can take. */
    public static final long NO_MAC = -1L;

    /** The destination of a probe for an address whose MAC is unknown. */
    public static final long BROADCAST_MAC = MacAddress.BROADCAST;

    /** Entries one poll examines at most, so a tick costs the same with ten servers or ten thousand. */
    public static final int MAX_ENTRIES_PER_POLL = 256;

    /**
     * Probes one poll sends at most: entries learnt together expire together, and their refresh requests should not
     * leave as one burst that overflows the TX batch or the servers' backlog; the rest go on the next ticks.
     */
    public static final int MAX_PROBES_PER_POLL = 32;

    /** What the sink was last told of an entry: nothing yet (a new entry), unreachable, reachable. */
    private static final int NOT_REPORTED = 0;
    private static final int REPORTED_UNREACHABLE = 1;
    private static final int REPORTED_REACHABLE = 2;

    /** The slot map's "absent" value; slots are >= 0. */
    private static final int MISSING_SLOT = -1;
    /** Agrona rounds up to a power of two anyway; start small for an empty or tiny table. */
    private static final int MIN_MAP_CAPACITY = 8;

    /** The IPv4 class D (multicast) range 224.0.0.0/4: its top four bits. */
    private static final int MULTICAST_PREFIX = 0xE;
    private static final int MULTICAST_PREFIX_SHIFT = 28;
    private static final int LIMITED_BROADCAST = 0xFFFF_FFFF;

    /** Element access with release/opaque semantics, so listing threads read whole values that are recent. */
    private static final VarHandle LONG_ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INT_ELEMENT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle VERSION;

    static
    {
        try
        {
            VERSION = MethodHandles.lookup().findVarHandle(NeighbourTable.class, "version", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final Entries EMPTY = new Entries(new int[0]);

    private final NeighbourTimers timers;
    /** Written by the control plane in {@link #wanted(int[])}; read by the forwarding thread in poll. */
    private volatile Entries published = EMPTY;
    /** Written by the forwarding thread when it adopts a set; read by listings. */
    private volatile Entries listed = EMPTY;
    /** The forwarding thread's own reference: plain, it is the only thread that reads it. */
    private Entries entries = EMPTY;
    /** Where the next poll resumes, so that bounded polls still visit every entry. */
    private int cursor;
    /**
     * Bumped (release) after every change of what {@link #lookup} would answer for some address: a MAC learnt or
     * changed, an entry becoming usable or unusable, a new set adopted. Written by the forwarding thread only.
     */
    private long version;

    /** Forwarding-thread callbacks of {@link #poll(long, ProbeSink)}. */
    public interface ProbeSink
    {
        /**
         * Send an ARP request for {@code targetAddress} to {@code dstMac}: {@link #BROADCAST_MAC} to resolve, the
         * known MAC to re-confirm (e.g. with {@link ArpResponder#writeRequest}).
         */
        void probe(int targetAddress, long dstMac);

        /**
         * {@code address} has gained ({@code true}) or lost ({@code false}) a usable MAC, so that the caller can mark
         * its real server. Every newly wanted address is reported once at the poll that adopts it (normally
         * {@code false}), then on every change.
         */
        void reachabilityChanged(int address, boolean reachable);
    }

    public NeighbourTable(final NeighbourTimers timers)
    {
        if (timers == null)
        {
            throw new NullPointerException("timers");
        }
        this.timers = timers;
    }

    public NeighbourTimers timers()
    {
        return timers;
    }

    /**
     * Control plane: the addresses to keep resolved (the real servers'), replacing the previous set. Entries for
     * addresses no longer wanted are dropped; the MACs and states of addresses still wanted are carried over. Takes
     * effect at the forwarding thread's next {@link #poll(long, ProbeSink)}.
     *
     * @param addresses IPv4 addresses in host byte order; duplicates are ignored.
     * @throws IllegalArgumentException for 0.0.0.0, 255.255.255.255 or a multicast address, which cannot be resolved.
     */
    public void wanted(final int[] addresses)
    {
        published = new Entries(validSortedUnique(addresses));
    }

    /**
     * Forwarding thread: changes whenever {@link #lookup} might answer differently for any address, so that a caller
     * may keep the MACs it looked up for as long as this stays the same.
     */
    public long version()
    {
        return version;
    }

    /** Any thread: as {@link #version()}, for callers of {@link #lookupShared}; read before the lookups it covers. */
    public long versionShared()
    {
        return (long)VERSION.getAcquire(this);
    }

    /** Forwarding thread: the MAC to send {@code address}'s frames to, or {@link #NO_MAC} when unresolved or failed. */
    public long lookup(final int address)
    {
        final Entries e = entries;
        final int slot = e.slots.get(address);
        if (slot == MISSING_SLOT || !NeighbourState.isUsable(e.states[slot]))
        {
            return NO_MAC;
        }
        return e.macs[slot];
    }

    /**
     * Any thread (the other forwarding workers of a director): as {@link #lookup(int)}, through the set the owning
     * thread last adopted, with the ordering its writes were published with.
     */
    public long lookupShared(final int address)
    {
        final Entries e = listed;
        final int slot = e.slots.get(address);
        if (slot == MISSING_SLOT || !NeighbourState.isUsable((int)INT_ELEMENT.getAcquire(e.states, slot)))
        {
            return NO_MAC;
        }
        return (long)LONG_ELEMENT.getAcquire(e.macs, slot);
    }

    /**
     * Forwarding thread: {@code address} was seen sending from {@code mac} (the sender of an ARP frame); the entry
     * becomes REACHABLE for {@link NeighbourTimers#reachableNs()}. Ignored unless the address is wanted and the MAC
     * is a 48-bit unicast address.
     */
    public void learn(final int address, final long mac, final long nowNs)
    {
        if (!MacAddress.isUnicast(mac))
        {
            return;
        }
        final Entries e = entries;
        final int slot = e.slots.get(address);
        if (slot == MISSING_SLOT)
        {
            return;
        }
        final boolean changed = e.macs[slot] != mac || !NeighbourState.isUsable(e.states[slot]);
        LONG_ELEMENT.setRelease(e.macs, slot, mac);
        INT_ELEMENT.setRelease(e.states, slot, NeighbourState.REACHABLE);
        e.deadlinesNs[slot] = nowNs + timers.reachableNs();
        e.probes[slot] = 0;
        if (changed)
        {
            bumpVersion();
        }
    }

    /**
     * Forwarding thread, once per tick: adopts a newly {@link #wanted(int[])} set, then moves due entries along
     * (see the class comment), asking {@code sink} for probes and reporting reachability changes. Examines at most
     * {@link #MAX_ENTRIES_PER_POLL} entries and sends at most {@link #MAX_PROBES_PER_POLL} probes; later polls
     * continue where this one stopped.
     *
     * @return the work done: probes requested plus reachability changes reported (0 when idle).
     */
    public int poll(final long nowNs, final ProbeSink sink)
    {
        final Entries next = published;
        if (next != entries)
        {
            adopt(next, nowNs);
        }

        final Entries e = entries;
        final int size = e.addresses.length;
        if (size == 0)
        {
            return 0;
        }

        final int limit = Math.min(size, MAX_ENTRIES_PER_POLL);
        int slot = cursor;
        int probesSent = 0;
        int work = 0;
        for (int examined = 0; examined < limit; examined++)
        {
            if (nowNs - e.deadlinesNs[slot] >= 0)
            {
                if (probesSent == MAX_PROBES_PER_POLL)
                {
                    break;
                }
                if (expire(e, slot, nowNs, sink))
                {
                    probesSent++;
                    work++;
                }
            }
            work += report(e, slot, sink);
            slot = slot + 1 == size ? 0 : slot + 1;
        }
        cursor = slot;
        return work;
    }

    /** Any thread: the {@link NeighbourState} of {@code address}, NONE when it is not (yet) in the table. */
    public int state(final int address)
    {
        final Entries e = listed;
        final int slot = e.slots.get(address);
        return slot == MISSING_SLOT ? NeighbourState.NONE : (int)INT_ELEMENT.getOpaque(e.states, slot);
    }

    /** Any thread: visits every entry of the set the forwarding thread uses, in address order. */
    public void forEach(final NeighbourVisitor visitor)
    {
        final Entries e = listed;
        for (int slot = 0; slot < e.addresses.length; slot++)
        {
            visitor.visit(
                e.addresses[slot], (long)LONG_ELEMENT.getOpaque(e.macs, slot), (int)INT_ELEMENT.getOpaque(e.states, slot));
        }
    }

    /** Takes over a set built by the control plane, carrying over the entries of addresses that stay. */
    private void adopt(final Entries next, final long nowNs)
    {
        final Entries old = entries;
        for (int slot = 0; slot < next.addresses.length; slot++)
        {
            final int oldSlot = old.slots.get(next.addresses[slot]);
            if (oldSlot == MISSING_SLOT)
            {
                next.deadlinesNs[slot] = nowNs;
            }
            else
            {
                next.macs[slot] = old.macs[oldSlot];
                next.states[slot] = old.states[oldSlot];
                next.deadlinesNs[slot] = old.deadlinesNs[oldSlot];
                next.probes[slot] = old.probes[oldSlot];
                next.reported[slot] = old.reported[oldSlot];
            }
        }
        entries = next;
        cursor = 0;
        listed = next;
        bumpVersion();
    }

    /** After the change it announces: a reader that sees the new version sees the change too. */
    private void bumpVersion()
    {
        VERSION.setRelease(this, version + 1);
    }

    /** The timer of a due entry fired: probe and/or change state. Returns whether a probe was requested. */
    private boolean expire(final Entries e, final int slot, final long nowNs, final ProbeSink sink)
    {
        final int address = e.addresses[slot];
        switch (e.states[slot])
        {
            case NeighbourState.INCOMPLETE:
                if (e.probes[slot] < timers.maxProbes())
                {
                    return probe(e, slot, address, BROADCAST_MAC, nowNs, sink);
                }
                fail(e, slot, nowNs);
                return false;

            case NeighbourState.REACHABLE:
                INT_ELEMENT.setRelease(e.states, slot, NeighbourState.STALE);
                e.probes[slot] = 0;
                return probe(e, slot, address, e.macs[slot], nowNs, sink);

            case NeighbourState.STALE:
                if (e.probes[slot] < timers.maxProbes())
                {
                    return probe(e, slot, address, e.macs[slot], nowNs, sink);
                }
                fail(e, slot, nowNs);
                return false;

            case NeighbourState.FAILED:
                sink.probe(address, BROADCAST_MAC);
                e.deadlinesNs[slot] = nowNs + timers.failedProbeIntervalNs();
                return true;

            default:
                return false;
        }
    }

    private boolean probe(
        final Entries e, final int slot, final int address, final long dstMac, final long nowNs, final ProbeSink sink)
    {
        sink.probe(address, dstMac);
        e.probes[slot]++;
        e.deadlinesNs[slot] = nowNs + timers.probeIntervalNs();
        return true;
    }

    /** Entering FAILED sends nothing: the last probe has just gone unanswered; the slow broadcast retry follows. */
    private void fail(final Entries e, final int slot, final long nowNs)
    {
        INT_ELEMENT.setRelease(e.states, slot, NeighbourState.FAILED);
        e.probes[slot] = 0;
        e.deadlinesNs[slot] = nowNs + timers.failedProbeIntervalNs();
        bumpVersion();
    }

    /** Tells the sink when the entry's usability differs from what it was last told. Returns 1 if it did. */
    private static int report(final Entries e, final int slot, final ProbeSink sink)
    {
        final boolean usable = NeighbourState.isUsable(e.states[slot]);
        final int now = usable ? REPORTED_REACHABLE : REPORTED_UNREACHABLE;
        if (e.reported[slot] == now)
        {
            return 0;
        }
        e.reported[slot] = now;
        sink.reachabilityChanged(e.addresses[slot], usable);
        return 1;
    }

    private static int[] validSortedUnique(final int[] addresses)
    {
        if (addresses == null)
        {
            throw new NullPointerException("addresses");
        }
        final int[] sorted = addresses.clone();
        Arrays.sort(sorted);
        int unique = 0;
        for (int i = 0; i < sorted.length; i++)
        {
            final int address = sorted[i];
            if (address == 0 || address == LIMITED_BROADCAST || address >>> MULTICAST_PREFIX_SHIFT == MULTICAST_PREFIX)
            {
                throw new IllegalArgumentException(
                    "address cannot be resolved with ARP, address=" + Ipv4Text.toString(address));
            }
            if (unique == 0 || sorted[unique - 1] != address)
            {
                sorted[unique++] = address;
            }
        }
        return Arrays.copyOf(sorted, unique);
    }

    /**
     * One complete set of entries, parallel arrays indexed by slot. Built whole by the control plane; once
     * published, only the forwarding thread writes it (after adopting it).
     */
    private static final class Entries
    {
        final int[] addresses;
        final Int2IntHashMap slots;
        final long[] macs;
        final int[] states;
        final long[] deadlinesNs;
        final int[] probes;
        final int[] reported;

        Entries(final int[] addresses)
        {
            final int size = addresses.length;
            this.addresses = addresses;
            this.slots = new Int2IntHashMap(
                Math.max(MIN_MAP_CAPACITY, size), Hashing.DEFAULT_LOAD_FACTOR, MISSING_SLOT);
            for (int slot = 0; slot < size; slot++)
            {
                slots.put(addresses[slot], slot);
            }
            this.macs = new long[size];
            Arrays.fill(macs, NO_MAC);
            this.states = new int[size];
            Arrays.fill(states, NeighbourState.INCOMPLETE);
            this.deadlinesNs = new long[size];
            this.probes = new int[size];
            this.reported = new int[size];
            Arrays.fill(reported, NOT_REPORTED);
        }
    }
}
