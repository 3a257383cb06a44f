package io.jlvs.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.conntrack.EntryLayout.ALIGNMENT;
import static io.jlvs.conntrack.EntryLayout.CONTROL_OFFSET;
import static io.jlvs.conntrack.EntryLayout.EXPIRES_AT_NS_OFFSET;
import static io.jlvs.conntrack.EntryLayout.FLAG_HALF_OPEN;
import static io.jlvs.conntrack.EntryLayout.FLAG_HASHED;
import static io.jlvs.conntrack.EntryLayout.FLAG_INACTIVE;
import static io.jlvs.conntrack.EntryLayout.FLAG_IN_USE;
import static io.jlvs.conntrack.EntryLayout.FLAG_TEMPLATE;
import static io.jlvs.conntrack.EntryLayout.FLAG_ZOMBIE;
import static io.jlvs.conntrack.EntryLayout.HALF_OPEN_NEXT_OFFSET;
import static io.jlvs.conntrack.EntryLayout.HALF_OPEN_PREV_OFFSET;
import static io.jlvs.conntrack.EntryLayout.FREE_NEXT_OFFSET;
import static io.jlvs.conntrack.EntryLayout.INDEX_SLOT_OFFSET;
import static io.jlvs.conntrack.EntryLayout.KEY_CLIENT_OFFSET;
import static io.jlvs.conntrack.EntryLayout.KEY_SERVICE_OFFSET;
import static io.jlvs.conntrack.EntryLayout.KIND_CONNECTION;
import static io.jlvs.conntrack.EntryLayout.KIND_TEMPLATE;
import static io.jlvs.conntrack.EntryLayout.LENGTH;
import static io.jlvs.conntrack.EntryLayout.SERVER_ID_OFFSET;
import static io.jlvs.conntrack.EntryLayout.STATE_FLAGS_OFFSET;
import static io.jlvs.conntrack.EntryLayout.STATE_MASK;
import static io.jlvs.conntrack.EntryLayout.TIMEOUT_NS_OFFSET;
import static io.jlvs.conntrack.EntryLayout.WHEEL_PREV_OFFSET;

/**
 * The IPVS connection table ({@code ip_vs_conn.c}): connections and persistence templates keyed on protocol,
 * client address and port, virtual address and port, each bound to one real server, with IPVS's input-only TCP
 * states and timeouts and its ActiveConn / InActConn / persistent counting.
 * <p>
 * Storage: one off-heap allocation of {@code capacity} 64-byte entries ({@link EntryLayout}), on transparent huge
 * pages when the platform allows ({@link #hugePages()}, {@link OffHeapRegion}), found through a {@link KeyIndex}
 * (open addressing over cache lines that hold whole keys and handles, so that a hit reads one line), free slots on
 * a free list. An entry is named by an {@code int} handle, its slot number, which stays valid until the entry is
 * removed or expires (so connections can refer to their template). 10 million entries take 640 MiB of entries
 * plus 339 MiB of index, all off-heap. Keys are hashed with a per-table random seed, as IPVS seeds {@code jhash},
 * so that nobody can aim a flood of keys at one cluster of the index.
 * <p>
 * Expiry runs on an {@link ExpiryWheel}: {@link #expire(long, int)} does a bounded amount of work per call and
 * never scans the table. When the table is full a new entry first sheds the oldest half-open (SYN_RECV/SYNACK)
 * connection, IPVS's {@code ip_vs_random_dropentry} idea; established connections are never shed, and when nothing
 * is half-open the new entry is refused and counted.
 * <p>
 * Threading: one forwarding thread owns the table; every method is for that thread, except the counters
 * ({@link #size()}, {@link #refusedFull()}, {@link #expiredTotal()}, {@link #shedHalfOpen()}), which any thread may
 * sample, and {@link #timeouts(Timeouts)} / {@link #connReuseMode(int)}, which the control plane may publish.
 * Lookups, inserts, packets and expiry allocate, lock, log and throw nothing.
 */
public final class ConnectionTable
{
    /** The handle that names no entry. */
    public static final int NO_ENTRY = -1;

    /** The largest capacity one allocation can hold (the off-heap buffer is indexed by {@code int}). */
    public static final int MAX_CAPACITY = (Integer.MAX_VALUE - ALIGNMENT) / LENGTH;

    /** How late after its expiry time an entry may still be in the table (one tick of the wheel); never early. */
    public static final long EXPIRY_RESOLUTION_NS = ExpiryWheel.TICK_NS;

    /** {@code conn_reuse_mode} bit 1: reschedule a SYN that finds its entry in TIME_WAIT or CLOSE. */
    public static final int CONN_REUSE_RESCHEDULE = 1;

    /**
     * {@code conn_reuse_mode} bit 2: also in FIN_WAIT, the last state a DR/TUN director sees of a connection the
     * client closed (the input-only table never leaves FIN_WAIT on the client's last ACK).
     */
    public static final int CONN_REUSE_FIN_WAIT = 2;

    /**
     * jlvs's default {@code conn_reuse_mode}: both bits. The kernel defaults to 1, but jlvs only does DR/TUN, where
     * without bit 2 a client reusing a port within 2 minutes of closing keeps landing on the old server.
     */
    public static final int DEFAULT_CONN_REUSE_MODE = CONN_REUSE_RESCHEDULE | CONN_REUSE_FIN_WAIT;

    /** {@code ip_vs_conn_new}: a new connection lives 3 s until its first state transition sets a real timeout. */
    public static final long NEW_CONNECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

    /** {@code ip_vs_conn_expire}: a template that still controls connections is re-armed with this timeout. */
    public static final long TEMPLATE_EXPIRE_LATER_NS = TimeUnit.SECONDS.toNanos(60);

    private static final VarHandle SIZE;
    private static final VarHandle REFUSED_FULL;
    private static final VarHandle EXPIRED_TOTAL;
    private static final VarHandle SHED_HALF_OPEN;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(ConnectionTable.class, "size", int.class);
            REFUSED_FULL = lookup.findVarHandle(ConnectionTable.class, "refusedFull", long.class);
            EXPIRED_TOTAL = lookup.findVarHandle(ConnectionTable.class, "expiredTotal", long.class);
            SHED_HALF_OPEN = lookup.findVarHandle(ConnectionTable.class, "shedHalfOpen", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int capacity;
    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final KeyIndex index;
    private final ExpiryWheel wheel;
    private final ConnectionListener listener;
    private volatile Timeouts timeouts;
    private volatile int connReuseMode = DEFAULT_CONN_REUSE_MODE;

    private int freeHead = NO_ENTRY;
    /** Slots at and above this one have never been used: they need no initialisation and no scanning. */
    private int highWater;
    /** Half-open connections, oldest first: what a full table sheds. */
    private int halfOpenHead = NO_ENTRY;
    private int halfOpenTail = NO_ENTRY;
    private int halfOpenCount;

    private int lastExpireWork;
    private int size;
    private long refusedFull;
    private long expiredTotal;
    private long shedHalfOpen;

    /**
     * @param capacity most entries (connections and templates) held at once, 1..{@link #MAX_CAPACITY}.
     * @param timeouts the per-state timeouts.
     * @param listener told of every change of a server's counters.
     */
    public ConnectionTable(final int capacity, final Timeouts timeouts, final ConnectionListener listener)
    {
        this(capacity, timeouts, listener, new SecureRandom().nextLong());
    }

    /**
     * As {@link #ConnectionTable(int, Timeouts, ConnectionListener)} with a fixed hash seed, for reproducible tests
     * and benchmarks; a director uses the random one.
     */
    public ConnectionTable(
        final int capacity, final Timeouts timeouts, final ConnectionListener listener, final long hashSeed)
    {
        this(capacity, timeouts, listener, hashSeed, OffHeapRegion.hugePagesEnabled(), NativeMemory.LINUX);
    }

    /** Tests: the huge-page choice and the system calls behind it. */
    ConnectionTable(
        final int capacity,
        final Timeouts timeouts,
        final ConnectionListener listener,
        final long hashSeed,
        final boolean tryHugePages,
        final NativeMemory memory)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_CAPACITY + ", capacity=" + capacity);
        }
        if (timeouts == null || listener == null)
        {
            throw new NullPointerException("timeouts and listener are required");
        }
        this.capacity = capacity;
        this.timeouts = timeouts;
        this.listener = listener;
        this.region = OffHeapRegion.allocate(capacity * LENGTH, tryHugePages, memory);
        this.entries = region.slice(0, capacity * LENGTH);
        this.index = new KeyIndex(capacity, hashSeed, tryHugePages, memory);
        this.wheel = new ExpiryWheel(entries);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Connections

    /** The connection for a client-to-virtual-service packet, or {@link #NO_ENTRY}. */
    public int lookup(final int protocol, final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        return find(
            EntryLayout.clientKey(clientAddr, clientPort, vport),
            EntryLayout.serviceKey(vaddr, protocol, KIND_CONNECTION));
    }

    /**
     * A new connection, bound to {@code serverId}: TCP in state NONE (it lives {@link #NEW_CONNECTION_TIMEOUT_NS}
     * until the caller passes its first packet to {@link #onPacket}), UDP and other protocols in state
     * {@link ConnectionState#UDP} with the UDP timeout. As IPVS's {@code ip_vs_bind_dest}, the server gets one more
     * inactive connection (IPVS servers' {@code conn_flags} always carry {@code IP_VS_CONN_F_INACTIVE}; TCP moves to
     * active on reaching ESTABLISHED, UDP stays inactive).
     * <p>
     * The key must not be in the table already (look it up first). A full table sheds its oldest half-open
     * connection to make room; when it has none, the connection is refused and counted ({@link #refusedFull()}).
     *
     * @param templateHandle the persistence template that controls the connection, or {@link #NO_ENTRY}; the
     *                       template then cannot expire while the connection lives.
     * @return the new connection's handle, or {@link #NO_ENTRY} when refused.
     */
    public int insert(
        final int protocol,
        final int clientAddr,
        final int clientPort,
        final int vaddr,
        final int vport,
        final int serverId,
        final int templateHandle,
        final long nowNs)
    {
        final int handle = allocate();
        if (handle == NO_ENTRY)
        {
            REFUSED_FULL.setOpaque(this, refusedFull + 1);
            return NO_ENTRY;
        }
        final int offset = handle * LENGTH;
        final long clientKey = EntryLayout.clientKey(clientAddr, clientPort, vport);
        final long serviceKey = EntryLayout.serviceKey(vaddr, protocol, KIND_CONNECTION);
        if (!hash(handle, clientKey, serviceKey))
        {
            return refuse(handle, offset);
        }
        wheel.start(nowNs);
        int control = NO_ENTRY;
        if (templateHandle >= 0 && templateHandle < highWater)
        {
            final int templateFlags = entries.getInt(templateHandle * LENGTH + STATE_FLAGS_OFFSET);
            if ((templateFlags & (FLAG_IN_USE | FLAG_TEMPLATE | FLAG_ZOMBIE)) == (FLAG_IN_USE | FLAG_TEMPLATE))
            {
                control = templateHandle;
                final int controlOffset = templateHandle * LENGTH + CONTROL_OFFSET;
                entries.putInt(controlOffset, entries.getInt(controlOffset) + 1);
            }
        }
        final int state = protocol == IpProtocol.TCP ? ConnectionState.NONE : ConnectionState.UDP;
        final long timeoutNs = protocol == IpProtocol.TCP ?
            NEW_CONNECTION_TIMEOUT_NS : timeouts.timeoutNs(protocol, state);

        entries.putLong(offset + KEY_CLIENT_OFFSET, clientKey);
        entries.putLong(offset + KEY_SERVICE_OFFSET, serviceKey);
        entries.putInt(offset + SERVER_ID_OFFSET, serverId);
        entries.putInt(offset + CONTROL_OFFSET, control);
        entries.putInt(offset + STATE_FLAGS_OFFSET, state | FLAG_IN_USE | FLAG_INACTIVE | FLAG_HASHED);
        entries.putLong(offset + EXPIRES_AT_NS_OFFSET, nowNs + timeoutNs);
        entries.putInt(offset + HALF_OPEN_NEXT_OFFSET, NO_ENTRY);
        entries.putInt(offset + HALF_OPEN_PREV_OFFSET, NO_ENTRY);
        wheel.add(handle, nowNs + timeoutNs);
        listener.onCountersChanged(serverId, 0, 1, 0);
        return handle;
    }

    /**
     * One client-to-server packet of a connection. TCP: IPVS's input-only state transition on the flags byte
     * ({@link TcpInputOnlyStates}); a change of state moves the connection between the server's active and inactive
     * counts as {@code set_tcp_state} does (active exactly while ESTABLISHED). Other protocols: a refresh. Either
     * way the expiry is re-armed with the (new) state's timeout. On a template it re-arms the template.
     *
     * @return the connection's state after the packet.
     */
    public int onPacket(final int handle, final int tcpFlags, final long nowNs)
    {
        final int offset = handle * LENGTH;
        int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
        final int state = stateFlags & STATE_MASK;
        if ((stateFlags & FLAG_IN_USE) == 0)
        {
            return state;
        }
        if ((stateFlags & FLAG_TEMPLATE) != 0)
        {
            touchTemplate(handle, nowNs);
            return state;
        }
        final int protocol = EntryLayout.protocol(entries.getLong(offset + KEY_SERVICE_OFFSET));
        int newState = state;
        if (protocol == IpProtocol.TCP)
        {
            newState = TcpInputOnlyStates.next(state, tcpFlags);
            if (newState != state)
            {
                stateFlags = countTransition(handle, offset, stateFlags, newState);
                entries.putInt(offset + STATE_FLAGS_OFFSET, (stateFlags & ~STATE_MASK) | newState);
            }
        }
        final long expiresAtNs = nowNs + timeouts.timeoutNs(protocol, newState);
        entries.putLong(offset + EXPIRES_AT_NS_OFFSET, expiresAtNs);
        wheel.rearm(handle, expiresAtNs);
        return newState;
    }

    /**
     * IPVS {@code is_new_conn_expected}: whether a SYN that hits this connection starts a new one, to be scheduled
     * afresh (the caller removes this entry and inserts a new one, forwarding the SYN, as {@code conn_reuse_mode}
     * does): TCP in TIME_WAIT or CLOSE, or in FIN_WAIT with {@link #CONN_REUSE_FIN_WAIT}. Never for a connection
     * controlled by a persistence template (the template decides its server) or when the reuse mode is 0.
     */
    public boolean isReusable(final int handle)
    {
        final int offset = handle * LENGTH;
        final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
        final int mode = connReuseMode;
        if ((stateFlags & (FLAG_IN_USE | FLAG_TEMPLATE)) != FLAG_IN_USE || mode == 0 ||
            entries.getInt(offset + CONTROL_OFFSET) != NO_ENTRY ||
            EntryLayout.protocol(entries.getLong(offset + KEY_SERVICE_OFFSET)) != IpProtocol.TCP)
        {
            return false;
        }
        final int state = stateFlags & STATE_MASK;
        return state == ConnectionState.TIME_WAIT || state == ConnectionState.CLOSE ||
            ((mode & CONN_REUSE_FIN_WAIT) != 0 && state == ConnectionState.FIN_WAIT);
    }

    /**
     * Removes a connection or a template now, releasing its server's counters through the listener. A template
     * that still controls connections disappears from lookups and the counts at once, and frees its slot with its
     * last connection. Removing a free handle does nothing.
     */
    public void remove(final int handle)
    {
        if (handle >= 0 && handle < highWater)
        {
            release(handle);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Persistence templates

    /**
     * The persistence template for a client network and virtual service, or {@link #NO_ENTRY}. Templates are keyed
     * as IPVS keys them: protocol, the client address masked with the service's persistence granularity, client
     * port 0, virtual address and virtual port (0 for a port-zero service, whose template covers all ports).
     */
    public int lookupTemplate(final int protocol, final int clientNet, final int vaddr, final int vport)
    {
        return find(
            EntryLayout.clientKey(clientNet, 0, vport),
            EntryLayout.serviceKey(vaddr, protocol, KIND_TEMPLATE));
    }

    /**
     * A new persistence template ({@code IP_VS_CONN_F_TEMPLATE}) sending the client network to {@code serverId}
     * for {@code timeoutNs} (the service's {@code persistence_timeout}); the server gets one more persistent
     * connection. Shedding and refusal when full as for {@link #insert}.
     */
    public int insertTemplate(
        final int protocol,
        final int clientNet,
        final int vaddr,
        final int vport,
        final int serverId,
        final long timeoutNs,
        final long nowNs)
    {
        final int handle = allocate();
        if (handle == NO_ENTRY)
        {
            REFUSED_FULL.setOpaque(this, refusedFull + 1);
            return NO_ENTRY;
        }
        final int offset = handle * LENGTH;
        final long clientKey = EntryLayout.clientKey(clientNet, 0, vport);
        final long serviceKey = EntryLayout.serviceKey(vaddr, protocol, KIND_TEMPLATE);
        if (!hash(handle, clientKey, serviceKey))
        {
            return refuse(handle, offset);
        }
        wheel.start(nowNs);
        final long timeout = Math.max(0, timeoutNs);
        final int state = protocol == IpProtocol.TCP ? ConnectionState.NONE : ConnectionState.UDP;

        entries.putLong(offset + KEY_CLIENT_OFFSET, clientKey);
        entries.putLong(offset + KEY_SERVICE_OFFSET, serviceKey);
        entries.putInt(offset + SERVER_ID_OFFSET, serverId);
        entries.putInt(offset + CONTROL_OFFSET, 0);
        entries.putInt(offset + STATE_FLAGS_OFFSET, state | FLAG_IN_USE | FLAG_TEMPLATE | FLAG_HASHED);
        entries.putLong(offset + EXPIRES_AT_NS_OFFSET, nowNs + timeout);
        entries.putLong(offset + TIMEOUT_NS_OFFSET, timeout);
        wheel.add(handle, nowNs + timeout);
        listener.onCountersChanged(serverId, 0, 0, 1);
        return handle;
    }

    /**
     * Re-arms a template's expiry with its timeout, as {@code ip_vs_conn_put} does after a new connection was
     * created under it. Faithful to IPVS: once a template has been kept alive by its connections past its
     * timeout, its timeout stays {@link #TEMPLATE_EXPIRE_LATER_NS}.
     */
    public void touchTemplate(final int handle, final long nowNs)
    {
        final int offset = handle * LENGTH;
        final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
        if ((stateFlags & (FLAG_IN_USE | FLAG_TEMPLATE | FLAG_ZOMBIE)) == (FLAG_IN_USE | FLAG_TEMPLATE))
        {
            final long expiresAtNs = nowNs + entries.getLong(offset + TIMEOUT_NS_OFFSET);
            entries.putLong(offset + EXPIRES_AT_NS_OFFSET, expiresAtNs);
            wheel.rearm(handle, expiresAtNs);
        }
    }

    /**
     * IPVS {@code ip_vs_check_template} failing: the template's server is gone, unavailable or quiesced with
     * {@code expire_quiescent_template}. The template leaves the lookups (a new one can be made for the same
     * client) but keeps its timer and its counts until it expires, as IPVS rehashes it under port 0xffff.
     */
    public void invalidateTemplate(final int handle)
    {
        final int offset = handle * LENGTH;
        final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
        if ((stateFlags & (FLAG_IN_USE | FLAG_TEMPLATE | FLAG_HASHED)) == (FLAG_IN_USE | FLAG_TEMPLATE | FLAG_HASHED))
        {
            unhash(offset);
            entries.putInt(offset + STATE_FLAGS_OFFSET, stateFlags & ~FLAG_HASHED);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Expiry and control events

    /**
     * Expires what is due, doing at most {@code budget} units of work (an entry looked at, or an empty wheel bucket
     * passed); call it every duty cycle. A template that still controls connections is re-armed for
     * {@link #TEMPLATE_EXPIRE_LATER_NS} instead, as {@code ip_vs_conn_expire} does.
     *
     * @return how many entries expired.
     */
    public int expire(final long nowNs, final int budget)
    {
        int work = 0;
        int expired = 0;
        while (work < budget)
        {
            final int handle = wheel.poll(nowNs, budget - work);
            work += wheel.lastWork();
            if (handle == NO_ENTRY)
            {
                break;
            }
            final int offset = handle * LENGTH;
            final long expiresAtNs = entries.getLong(offset + EXPIRES_AT_NS_OFFSET);
            if (expiresAtNs > nowNs)
            {
                wheel.add(handle, expiresAtNs);
            }
            else if ((entries.getInt(offset + STATE_FLAGS_OFFSET) & FLAG_TEMPLATE) != 0 &&
                entries.getInt(offset + CONTROL_OFFSET) > 0)
            {
                entries.putLong(offset + TIMEOUT_NS_OFFSET, TEMPLATE_EXPIRE_LATER_NS);
                entries.putLong(offset + EXPIRES_AT_NS_OFFSET, nowNs + TEMPLATE_EXPIRE_LATER_NS);
                wheel.add(handle, nowNs + TEMPLATE_EXPIRE_LATER_NS);
            }
            else
            {
                release(handle);
                expired++;
            }
        }
        if (expired > 0)
        {
            EXPIRED_TOTAL.setOpaque(this, expiredTotal + expired);
        }
        lastExpireWork = work;
        return expired;
    }

    /**
     * Drops every connection and template bound to {@code serverId}, releasing their counts (the server was removed;
     * IPVS {@code expire_nodest_conn}). A control event: it scans the slots ever used, connections first so that
     * the server's templates no longer control anything when their turn comes.
     *
     * @return how many entries were dropped.
     */
    public int removeServer(final int serverId)
    {
        int removed = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            final int wanted = pass == 0 ? 0 : FLAG_TEMPLATE;
            for (int handle = 0; handle < highWater; handle++)
            {
                final int offset = handle * LENGTH;
                final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
                if ((stateFlags & (FLAG_IN_USE | FLAG_ZOMBIE | FLAG_TEMPLATE)) == (FLAG_IN_USE | wanted) &&
                    entries.getInt(offset + SERVER_ID_OFFSET) == serverId)
                {
                    release(handle);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Visits every live connection and template (not the removed templates that wait for their last connection),
     * for listings; forwarding thread.
     */
    public void forEach(final ConnectionVisitor visitor, final long nowNs)
    {
        for (int handle = 0; handle < highWater; handle++)
        {
            final int offset = handle * LENGTH;
            final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
            if ((stateFlags & (FLAG_IN_USE | FLAG_ZOMBIE)) == FLAG_IN_USE)
            {
                final long clientKey = entries.getLong(offset + KEY_CLIENT_OFFSET);
                final long serviceKey = entries.getLong(offset + KEY_SERVICE_OFFSET);
                visitor.visit(
                    EntryLayout.protocol(serviceKey),
                    EntryLayout.clientAddr(clientKey),
                    EntryLayout.clientPort(clientKey),
                    EntryLayout.vaddr(serviceKey),
                    EntryLayout.vport(clientKey),
                    entries.getInt(offset + SERVER_ID_OFFSET),
                    stateFlags & STATE_MASK,
                    (stateFlags & FLAG_TEMPLATE) != 0,
                    Math.max(0, entries.getLong(offset + EXPIRES_AT_NS_OFFSET) - nowNs));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Entry accessors (forwarding thread; a handle must name a live entry)

    public int serverId(final int handle)
    {
        return entries.getInt(handle * LENGTH + SERVER_ID_OFFSET);
    }

    /** A {@link ConnectionState} constant. */
    public int state(final int handle)
    {
        return entries.getInt(handle * LENGTH + STATE_FLAGS_OFFSET) & STATE_MASK;
    }

    public int protocol(final int handle)
    {
        return EntryLayout.protocol(entries.getLong(handle * LENGTH + KEY_SERVICE_OFFSET));
    }

    /** Client address, or the masked client network of a template; host byte order. */
    public int clientAddr(final int handle)
    {
        return EntryLayout.clientAddr(entries.getLong(handle * LENGTH + KEY_CLIENT_OFFSET));
    }

    public int clientPort(final int handle)
    {
        return EntryLayout.clientPort(entries.getLong(handle * LENGTH + KEY_CLIENT_OFFSET));
    }

    public int vaddr(final int handle)
    {
        return EntryLayout.vaddr(entries.getLong(handle * LENGTH + KEY_SERVICE_OFFSET));
    }

    public int vport(final int handle)
    {
        return EntryLayout.vport(entries.getLong(handle * LENGTH + KEY_CLIENT_OFFSET));
    }

    /** Whether the handle names an entry in the table (a connection, or a template, removed ones excepted). */
    public boolean isLive(final int handle)
    {
        return handle >= 0 && handle < highWater &&
            (entries.getInt(handle * LENGTH + STATE_FLAGS_OFFSET) & (FLAG_IN_USE | FLAG_ZOMBIE)) == FLAG_IN_USE;
    }

    public boolean isTemplate(final int handle)
    {
        return (entries.getInt(handle * LENGTH + STATE_FLAGS_OFFSET) & FLAG_TEMPLATE) != 0;
    }

    /** Whether the connection counts as inactive for its server (IPVS {@code IP_VS_CONN_F_INACTIVE}). */
    public boolean isInactive(final int handle)
    {
        return (entries.getInt(handle * LENGTH + STATE_FLAGS_OFFSET) & FLAG_INACTIVE) != 0;
    }

    /** The template controlling a connection (IPVS {@code cp->control}), or {@link #NO_ENTRY}. */
    public int controllingTemplate(final int handle)
    {
        final int offset = handle * LENGTH;
        return (entries.getInt(offset + STATE_FLAGS_OFFSET) & FLAG_TEMPLATE) != 0 ?
            NO_ENTRY : entries.getInt(offset + CONTROL_OFFSET);
    }

    /** How many connections a template controls (IPVS {@code n_control}); 0 for a connection. */
    public int controlledCount(final int handle)
    {
        final int offset = handle * LENGTH;
        return (entries.getInt(offset + STATE_FLAGS_OFFSET) & FLAG_TEMPLATE) != 0 ?
            entries.getInt(offset + CONTROL_OFFSET) : 0;
    }

    /** When the entry is due to expire, in the caller's {@code nowNs} time base. */
    public long expiresAtNs(final int handle)
    {
        return entries.getLong(handle * LENGTH + EXPIRES_AT_NS_OFFSET);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration and counters

    public Timeouts timeouts()
    {
        return timeouts;
    }

    /** Publishes new timeouts ({@code ipvsadm --set}); they apply from each entry's next packet, as in IPVS. */
    public ConnectionTable timeouts(final Timeouts timeouts)
    {
        if (timeouts == null)
        {
            throw new NullPointerException("timeouts");
        }
        this.timeouts = timeouts;
        return this;
    }

    /** IPVS's {@code conn_reuse_mode} sysctl: a bitmap of {@link #CONN_REUSE_RESCHEDULE}, {@link #CONN_REUSE_FIN_WAIT}. */
    public int connReuseMode()
    {
        return connReuseMode;
    }

    public ConnectionTable connReuseMode(final int connReuseMode)
    {
        if ((connReuseMode & ~(CONN_REUSE_RESCHEDULE | CONN_REUSE_FIN_WAIT)) != 0)
        {
            throw new IllegalArgumentException("conn_reuse_mode must be 0..3, connReuseMode=" + connReuseMode);
        }
        this.connReuseMode = connReuseMode;
        return this;
    }

    /** Entries held: connections and templates, including removed templates that wait for their last connection. */
    public int size()
    {
        return (int)SIZE.getOpaque(this);
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Whether the entries live in a mapping advised for transparent huge pages; false when they are in a direct
     * buffer (huge pages off by {@code -Djlvs.conntrack.hugePages=false}, a table smaller than one huge page, or
     * {@code mmap}/{@code madvise} unavailable or failing). Whether the kernel then backs it with huge pages is
     * its choice ({@code AnonHugePages} in {@code /proc/PID/smaps}).
     */
    public boolean hugePages()
    {
        return region.hugePages();
    }

    /** New entries refused because the table was full and had no half-open connection to shed. */
    public long refusedFull()
    {
        return (long)REFUSED_FULL.getOpaque(this);
    }

    /** Entries removed by expiry since the table was made. */
    public long expiredTotal()
    {
        return (long)EXPIRED_TOTAL.getOpaque(this);
    }

    /** Half-open connections dropped to make room for new entries in a full table. */
    public long shedHalfOpen()
    {
        return (long)SHED_HALF_OPEN.getOpaque(this);
    }

    /** Connections now in SYN_RECV or SYNACK. */
    public int halfOpenCount()
    {
        return halfOpenCount;
    }

    /** Diagnostics (tests): the most index lines a lookup of a stored key reads; scans the whole index. */
    int longestProbe()
    {
        return index.longestProbe();
    }

    /** Diagnostics: the units of work the last {@link #expire} call spent. */
    int lastExpireWork()
    {
        return lastExpireWork;
    }

    /** Diagnostics: entries waiting on the expiry wheel. */
    int scheduledCount()
    {
        return wheel.size();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals

    private int find(final long clientKey, final long serviceKey)
    {
        return index.find(clientKey, serviceKey);
    }

    /**
     * Enters a new entry in the index (the caller sets {@code FLAG_HASHED}); false, with nothing changed, only if the
     * index had no free slot, which it always has while the table holds at most {@code capacity} entries.
     */
    private boolean hash(final int handle, final long clientKey, final long serviceKey)
    {
        final int slot = index.add(clientKey, serviceKey, handle);
        if (slot == NO_ENTRY)
        {
            return false;
        }
        entries.putInt(handle * LENGTH + INDEX_SLOT_OFFSET, slot);
        return true;
    }

    /** Gives back a slot just allocated for an entry that could not be indexed, and counts the refusal. */
    private int refuse(final int handle, final int offset)
    {
        free(handle, offset);
        REFUSED_FULL.setOpaque(this, refusedFull + 1);
        return NO_ENTRY;
    }

    private void unhash(final int offset)
    {
        index.remove(entries.getInt(offset + INDEX_SLOT_OFFSET));
    }

    /** A free slot: the free list, then a never-used one, then one made by shedding a half-open connection. */
    private int allocate()
    {
        if (freeHead == NO_ENTRY && highWater == capacity)
        {
            if (halfOpenHead == NO_ENTRY)
            {
                return NO_ENTRY;
            }
            release(halfOpenHead);
            SHED_HALF_OPEN.setOpaque(this, shedHalfOpen + 1);
        }
        final int handle;
        if (freeHead != NO_ENTRY)
        {
            handle = freeHead;
            freeHead = entries.getInt(handle * LENGTH + FREE_NEXT_OFFSET);
        }
        else
        {
            handle = highWater++;
        }
        entries.putInt(handle * LENGTH + WHEEL_PREV_OFFSET, ExpiryWheel.UNLINKED);
        SIZE.setOpaque(this, size + 1);
        return handle;
    }

    private void free(final int handle, final int offset)
    {
        entries.putInt(offset + STATE_FLAGS_OFFSET, 0);
        entries.putInt(offset + FREE_NEXT_OFFSET, freeHead);
        freeHead = handle;
        SIZE.setOpaque(this, size - 1);
    }

    /** Takes an entry out of every structure, releases its counts and frees its slot (a template: see remove). */
    private void release(final int handle)
    {
        final int offset = handle * LENGTH;
        final int stateFlags = entries.getInt(offset + STATE_FLAGS_OFFSET);
        if ((stateFlags & FLAG_IN_USE) == 0 || (stateFlags & FLAG_ZOMBIE) != 0)
        {
            return;
        }
        if ((stateFlags & FLAG_HASHED) != 0)
        {
            unhash(offset);
        }
        wheel.remove(handle);
        final int serverId = entries.getInt(offset + SERVER_ID_OFFSET);
        if ((stateFlags & FLAG_TEMPLATE) != 0)
        {
            listener.onCountersChanged(serverId, 0, 0, -1);
            if (entries.getInt(offset + CONTROL_OFFSET) > 0)
            {
                // Its connections still name it: keep the slot until the last of them goes.
                entries.putInt(offset + STATE_FLAGS_OFFSET, (stateFlags & ~FLAG_HASHED) | FLAG_ZOMBIE);
                return;
            }
            free(handle, offset);
            return;
        }
        if ((stateFlags & FLAG_HALF_OPEN) != 0)
        {
            unlinkHalfOpen(handle, offset);
        }
        if ((stateFlags & FLAG_INACTIVE) != 0)
        {
            listener.onCountersChanged(serverId, 0, -1, 0);
        }
        else
        {
            listener.onCountersChanged(serverId, -1, 0, 0);
        }
        final int template = entries.getInt(offset + CONTROL_OFFSET);
        free(handle, offset);
        if (template != NO_ENTRY)
        {
            releaseControl(template);
        }
    }

    /** IPVS {@code ip_vs_control_del}: the template controls one connection fewer. */
    private void releaseControl(final int template)
    {
        final int offset = template * LENGTH;
        final int controlled = entries.getInt(offset + CONTROL_OFFSET) - 1;
        entries.putInt(offset + CONTROL_OFFSET, controlled);
        if (controlled == 0 && (entries.getInt(offset + STATE_FLAGS_OFFSET) & FLAG_ZOMBIE) != 0)
        {
            free(template, offset);
        }
    }

    /** IPVS {@code set_tcp_state}'s counter move, and the half-open list; returns the updated flags. */
    private int countTransition(final int handle, final int offset, final int stateFlags, final int newState)
    {
        int flags = stateFlags;
        final int serverId = entries.getInt(offset + SERVER_ID_OFFSET);
        if ((flags & FLAG_INACTIVE) == 0 && newState != ConnectionState.ESTABLISHED)
        {
            listener.onCountersChanged(serverId, -1, 1, 0);
            flags |= FLAG_INACTIVE;
        }
        else if ((flags & FLAG_INACTIVE) != 0 && newState == ConnectionState.ESTABLISHED)
        {
            listener.onCountersChanged(serverId, 1, -1, 0);
            flags &= ~FLAG_INACTIVE;
        }
        final boolean halfOpen = newState == ConnectionState.SYN_RECV || newState == ConnectionState.SYNACK;
        if (halfOpen && (flags & FLAG_HALF_OPEN) == 0)
        {
            linkHalfOpen(handle, offset);
            flags |= FLAG_HALF_OPEN;
        }
        else if (!halfOpen && (flags & FLAG_HALF_OPEN) != 0)
        {
            unlinkHalfOpen(handle, offset);
            flags &= ~FLAG_HALF_OPEN;
        }
        return flags;
    }

    private void linkHalfOpen(final int handle, final int offset)
    {
        entries.putInt(offset + HALF_OPEN_NEXT_OFFSET, NO_ENTRY);
        entries.putInt(offset + HALF_OPEN_PREV_OFFSET, halfOpenTail);
        if (halfOpenTail == NO_ENTRY)
        {
            halfOpenHead = handle;
        }
        else
        {
            entries.putInt(halfOpenTail * LENGTH + HALF_OPEN_NEXT_OFFSET, handle);
        }
        halfOpenTail = handle;
        halfOpenCount++;
    }

    private void unlinkHalfOpen(final int handle, final int offset)
    {
        final int next = entries.getInt(offset + HALF_OPEN_NEXT_OFFSET);
        final int prev = entries.getInt(offset + HALF_OPEN_PREV_OFFSET);
        if (prev == NO_ENTRY)
        {
            halfOpenHead = next;
        }
        else
        {
            entries.putInt(prev * LENGTH + HALF_OPEN_NEXT_OFFSET, next);
        }
        if (next == NO_ENTRY)
        {
            halfOpenTail = prev;
        }
        else
        {
            entries.putInt(next * LENGTH + HALF_OPEN_PREV_OFFSET, prev);
        }
        halfOpenCount--;
    }
}
