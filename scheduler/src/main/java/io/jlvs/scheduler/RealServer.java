package io.jlvs.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A real server (IPVS "destination") of one virtual service: its address, its weight and the connection counts
 * that the least-connection schedulers read.
 * <p>
 * Threading: each forwarding worker writes its own counter cells (one writer per cell, each worker on its own cache
 * lines) and the counts read here are their sums, so workers never contend; the overload and neighbour flags are
 * flipped with atomic bit operations by whichever worker sees the change. Any thread may read (the listing does). The weight, the thresholds and the
 * enabled flag are written by the control plane and read by the forwarding thread. Writes use release semantics and
 * reads opaque/acquire ones, so readers never see torn values and the writer never pays for a full fence.
 * <p>
 * Connection thresholds follow IPVS ({@code ip_vs_bind_dest}/{@code ip_vs_unbind_dest} in {@code ip_vs_conn.c}):
 * a counter increment sets the overload flag when {@code active + inactive >= upperThreshold}; a decrement clears
 * it when the total falls below {@code lowerThreshold}, or, with no lower threshold, below 3/4 of the upper one, or
 * at once when there is no threshold at all. Persistent templates move their own counter and trigger the same
 * checks but are not part of the total, as in the kernel. A connection that only changes between active and
 * inactive ({@link #activeToInactive()}) checks nothing, as {@code set_tcp_state} does not.
 */
public final class RealServer
{
    /** Control flag: the server takes new connections (IPVS {@code IP_VS_DEST_F_AVAILABLE}). */
    private static final int FLAG_AVAILABLE = 1;
    /** Forwarding flag: over the upper connection threshold (IPVS {@code IP_VS_DEST_F_OVERLOAD}). */
    private static final int FLAG_OVERLOAD = 1;
    /** Forwarding flag: the neighbour cache has no MAC for the server. */
    private static final int FLAG_NEIGHBOUR_UNREACHABLE = 2;
    /** IPVS clears the overload flag below 3/4 of the upper threshold when no lower one is set. */
    private static final int DEFAULT_LOWER_NUMERATOR = 3;
    private static final int DEFAULT_LOWER_DENOMINATOR = 4;

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Each forwarding worker's counters sit on their own two cache lines, so workers never share one. */
    private static final int CELL_STRIDE = 16;
    private static final int ACTIVE = 0;
    private static final int INACTIVE = 1;
    private static final int PERSISTENT = 2;
    private static final int CONNECTIONS = 3;
    private static final int IN_PACKETS = 4;
    private static final int IN_BYTES = 5;
    private static final VarHandle WEIGHT;
    private static final VarHandle LAST_WEIGHT;
    private static final VarHandle FLAGS;
    private static final VarHandle FORWARDING_FLAGS;
    private static final VarHandle UPPER_THRESHOLD;
    private static final VarHandle LOWER_THRESHOLD;
    private static final VarHandle THRESHOLD_EPOCH;
    private static final VarHandle OVERLOAD_EPOCH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WEIGHT = lookup.findVarHandle(RealServer.class, "weight", int.class);
            LAST_WEIGHT = lookup.findVarHandle(RealServer.class, "lastWeight", int.class);
            FLAGS = lookup.findVarHandle(RealServer.class, "flags", int.class);
            FORWARDING_FLAGS = lookup.findVarHandle(RealServer.class, "forwardingFlags", int.class);
            UPPER_THRESHOLD = lookup.findVarHandle(RealServer.class, "upperThreshold", int.class);
            LOWER_THRESHOLD = lookup.findVarHandle(RealServer.class, "lowerThreshold", int.class);
            THRESHOLD_EPOCH = lookup.findVarHandle(RealServer.class, "thresholdEpoch", int.class);
            OVERLOAD_EPOCH = lookup.findVarHandle(RealServer.class, "overloadEpoch", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int id;
    private final int address;
    private final int port;
    private int weight;
    private int lastWeight;
    private int flags;
    private int forwardingFlags;
    private int upperThreshold;
    private int lowerThreshold;
    /**
     * Control plane: bumped where IPVS's {@code __ip_vs_update_dest} clears the overload flag (upper threshold
     * removed or raised), so that the control plane never writes the forwarding thread's flag.
     */
    private int thresholdEpoch;
    /** Forwarding thread: the {@link #thresholdEpoch} under which the overload flag was set. */
    private int overloadEpoch;
    private final int workers;
    /** Per forwarding worker, at {@code worker * CELL_STRIDE}: one writer each; readers sum them. */
    private final long[] cells;

    /**
     * @param id      stable identity of this server within the director, used by the connection table to refer to
     *                it; ids are never reused while a connection may still point at them.
     * @param address IPv4 address in host byte order.
     * @param port    port, 0..65535 (0 with a port-zero service: keep the client's port).
     * @param weight  IPVS weight, &gt;= 0; 0 quiesces the server.
     */
    public RealServer(final int id, final int address, final int port, final int weight)
    {
        this(id, address, port, weight, 1);
    }

    /**
     * As {@link #RealServer(int, int, int, int)}, for a director with {@code workers} forwarding threads: each keeps
     * its own counts, and the counts read here are their sums.
     */
    public RealServer(final int id, final int address, final int port, final int weight, final int workers)
    {
        if (weight < 0)
        {
            throw new IllegalArgumentException("weight must be >= 0, weight=" + weight);
        }
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port must be 0..65535, port=" + port);
        }
        this.id = id;
        this.address = address;
        this.port = port;
        this.weight = weight;
        this.lastWeight = weight;
        this.flags = FLAG_AVAILABLE;
        if (workers < 1)
        {
            throw new IllegalArgumentException("workers must be >= 1, workers=" + workers);
        }
        this.workers = workers;
        this.cells = new long[workers * CELL_STRIDE];
    }

    /** How many forwarding workers keep counts for this server. */
    public int workers()
    {
        return workers;
    }

    private long sum(final int cell)
    {
        long total = 0;
        for (int w = 0; w < workers; w++)
        {
            total += (long)CELLS.getOpaque(cells, w * CELL_STRIDE + cell);
        }
        return total;
    }

    private void add(final int worker, final int cell, final long delta)
    {
        final int index = worker * CELL_STRIDE + cell;
        CELLS.setRelease(cells, index, cells[index] + delta);
    }

    public int id()
    {
        return id;
    }

    /** IPv4 address, host byte order. */
    public int address()
    {
        return address;
    }

    public int port()
    {
        return port;
    }

    public int weight()
    {
        return (int)WEIGHT.getOpaque(this);
    }

    /**
     * Control plane only. IPVS calls the scheduler's {@code upd_dest} after this: rebuild the service's scheduler
     * ({@link Schedulers#create(String, RealServer[], SchedulerFlags, Scheduler)}) so that those that cache weights
     * (wrr, sh, mh) see it.
     */
    public RealServer weight(final int weight)
    {
        if (weight < 0)
        {
            throw new IllegalArgumentException("weight must be >= 0, weight=" + weight);
        }
        if (weight != 0)
        {
            LAST_WEIGHT.setRelease(this, weight);
        }
        WEIGHT.setRelease(this, weight);
        return this;
    }

    /**
     * The latest non-zero weight, or the initial weight (IPVS {@code last_weight}): {@code mh} keeps a quiesced
     * server's table slots with it, so that its persistent clients come back to it.
     */
    public int lastWeight()
    {
        return (int)LAST_WEIGHT.getOpaque(this);
    }

    /**
     * Whether the control plane lets this server take new connections (health checks pass, not removed);
     * IPVS {@code IP_VS_DEST_F_AVAILABLE}.
     */
    public boolean isEnabled()
    {
        return ((int)FLAGS.getOpaque(this) & FLAG_AVAILABLE) != 0;
    }

    /**
     * Control plane only. Disabling is IPVS's removal of the destination from the service: rebuild the service's
     * scheduler after it, so that the table schedulers (sh, dh, mh) redistribute its slots.
     */
    public RealServer enabled(final boolean enabled)
    {
        FLAGS.setRelease(this, enabled ? FLAG_AVAILABLE : 0);
        return this;
    }

    /**
     * Whether the server's MAC is resolved; a server that does not answer ARP gets no new connections. Written by
     * the forwarding thread that owns the neighbour cache.
     */
    public boolean isNeighbourReachable()
    {
        return ((int)FORWARDING_FLAGS.getOpaque(this) & FLAG_NEIGHBOUR_UNREACHABLE) == 0;
    }

    /** Forwarding threads (atomic, since every worker may report what its neighbour cache saw). */
    public void neighbourReachable(final boolean reachable)
    {
        if (reachable)
        {
            FORWARDING_FLAGS.getAndBitwiseAndRelease(this, ~FLAG_NEIGHBOUR_UNREACHABLE);
        }
        else
        {
            FORWARDING_FLAGS.getAndBitwiseOrRelease(this, FLAG_NEIGHBOUR_UNREACHABLE);
        }
    }

    /** Over its upper connection threshold (IPVS {@code IP_VS_DEST_F_OVERLOAD}); maintained by the counters. */
    public boolean isOverloaded()
    {
        return ((int)FORWARDING_FLAGS.getOpaque(this) & FLAG_OVERLOAD) != 0 &&
            (int)OVERLOAD_EPOCH.getOpaque(this) == (int)THRESHOLD_EPOCH.getOpaque(this);
    }

    /** Forwarding thread only (the thread that changes the counters and so applies the thresholds). */
    public void overloaded(final boolean overloaded)
    {
        if (overloaded)
        {
            setOverload();
        }
        else
        {
            clearOverload();
        }
    }

    /** Enabled by the control plane and its MAC resolved: may be scheduled, weight and overload permitting. */
    public boolean isAvailable()
    {
        return isEnabled() && isNeighbourReachable();
    }

    /** Upper connection threshold, 0 = none (ipvsadm {@code -x}). */
    public int upperThreshold()
    {
        return (int)UPPER_THRESHOLD.getOpaque(this);
    }

    /**
     * Control plane only. As {@code __ip_vs_update_dest} does, removing the threshold (0) or raising it clears the
     * overload flag; lowering it takes effect at the next connection.
     */
    public RealServer upperThreshold(final int upperThreshold)
    {
        if (upperThreshold < 0)
        {
            throw new IllegalArgumentException("upperThreshold must be >= 0, upperThreshold=" + upperThreshold);
        }
        final int old = this.upperThreshold;
        UPPER_THRESHOLD.setRelease(this, upperThreshold);
        if (upperThreshold == 0 || upperThreshold > old)
        {
            THRESHOLD_EPOCH.setRelease(this, thresholdEpoch + 1);
        }
        return this;
    }

    /** Lower connection threshold, 0 = none (ipvsadm {@code -y}). */
    public int lowerThreshold()
    {
        return (int)LOWER_THRESHOLD.getOpaque(this);
    }

    /** Control plane only. */
    public RealServer lowerThreshold(final int lowerThreshold)
    {
        if (lowerThreshold < 0)
        {
            throw new IllegalArgumentException("lowerThreshold must be >= 0, lowerThreshold=" + lowerThreshold);
        }
        LOWER_THRESHOLD.setRelease(this, lowerThreshold);
        return this;
    }

    /**
     * Control plane only: both thresholds at once, checked as {@code ip_vs_add_dest} checks them (the lower one
     * may not exceed the upper one).
     */
    public RealServer thresholds(final int upperThreshold, final int lowerThreshold)
    {
        if (lowerThreshold > upperThreshold)
        {
            throw new IllegalArgumentException("lowerThreshold must be <= upperThreshold, lowerThreshold=" +
                lowerThreshold + ", upperThreshold=" + upperThreshold);
        }
        return lowerThreshold(lowerThreshold).upperThreshold(upperThreshold);
    }

    public int activeConns()
    {
        return (int)sum(ACTIVE);
    }

    public int inactiveConns()
    {
        return (int)sum(INACTIVE);
    }

    public int persistentConns()
    {
        return (int)sum(PERSISTENT);
    }

    /** Active plus inactive connections, what the thresholds count (IPVS {@code ip_vs_dest_totalconns}). */
    public int totalConns()
    {
        return activeConns() + inactiveConns();
    }

    /** Forwarding thread only: a connection bound (delta &gt; 0) or unbound (delta &lt; 0) as active. */
    public void addActiveConns(final int delta)
    {
        addActiveConns(0, delta);
    }

    /** Forwarding worker {@code worker} only: as {@link #addActiveConns(int)}. */
    public void addActiveConns(final int worker, final int delta)
    {
        add(worker, ACTIVE, delta);
        applyThresholds(delta);
    }

    /** Forwarding thread only: a connection bound (delta &gt; 0) or unbound (delta &lt; 0) as inactive. */
    public void addInactiveConns(final int delta)
    {
        addInactiveConns(0, delta);
    }

    /** Forwarding worker {@code worker} only: as {@link #addInactiveConns(int)}. */
    public void addInactiveConns(final int worker, final int delta)
    {
        add(worker, INACTIVE, delta);
        applyThresholds(delta);
    }

    /** Forwarding thread only: a persistence template bound (delta &gt; 0) or expired (delta &lt; 0). */
    public void addPersistentConns(final int delta)
    {
        addPersistentConns(0, delta);
    }

    /** Forwarding worker {@code worker} only: as {@link #addPersistentConns(int)}. */
    public void addPersistentConns(final int worker, final int delta)
    {
        add(worker, PERSISTENT, delta);
        applyThresholds(delta);
    }

    /**
     * Forwarding thread only: a connection left ESTABLISHED (IPVS moves it from activeconns to inactconns and
     * checks no threshold, the total being unchanged).
     */
    public void activeToInactive()
    {
        activeToInactive(0);
    }

    /** Forwarding worker {@code worker} only: as {@link #activeToInactive()}. */
    public void activeToInactive(final int worker)
    {
        add(worker, ACTIVE, -1);
        add(worker, INACTIVE, 1);
    }

    /** Forwarding thread only: a connection became ESTABLISHED again; the reverse of {@link #activeToInactive()}. */
    public void inactiveToActive()
    {
        inactiveToActive(0);
    }

    /** Forwarding worker {@code worker} only: as {@link #inactiveToActive()}. */
    public void inactiveToActive(final int worker)
    {
        add(worker, INACTIVE, -1);
        add(worker, ACTIVE, 1);
    }

    /** IPVS's {@code Conns} statistic: connections ever scheduled to this server. */
    public long connections()
    {
        return sum(CONNECTIONS);
    }

    /** IPVS's {@code InPkts}: packets forwarded to this server (client to server; in DR replies bypass us). */
    public long inPackets()
    {
        return sum(IN_PACKETS);
    }

    /** IPVS's {@code InBytes}: bytes of the IP packets forwarded to this server (Ethernet headers not counted). */
    public long inBytes()
    {
        return sum(IN_BYTES);
    }

    /** Forwarding thread only: a new connection was scheduled to this server. */
    public void countConnection()
    {
        countConnection(0);
    }

    /** Forwarding worker {@code worker} only: as {@link #countConnection()}. */
    public void countConnection(final int worker)
    {
        add(worker, CONNECTIONS, 1);
    }

    /** Forwarding thread only: one IP packet of {@code bytes} was forwarded to this server. */
    public void countForwarded(final int bytes)
    {
        countForwarded(0, bytes);
    }

    /** Forwarding worker {@code worker} only: as {@link #countForwarded(int)}. */
    public void countForwarded(final int worker, final int bytes)
    {
        countForwarded(worker, 1, bytes);
    }

    /**
     * Forwarding worker {@code worker} only: {@code packets} IP packets of {@code bytes} in all were forwarded to this
     * server, counted together (a run of a batch's frames to one server).
     */
    public void countForwarded(final int worker, final long packets, final long bytes)
    {
        add(worker, IN_PACKETS, packets);
        add(worker, IN_BYTES, bytes);
    }

    /** Resets the counters and the overload flag, e.g. when a test reuses a server; forwarding thread only. */
    public void resetConns()
    {
        for (int w = 0; w < workers; w++)
        {
            CELLS.setRelease(cells, w * CELL_STRIDE + ACTIVE, 0L);
            CELLS.setRelease(cells, w * CELL_STRIDE + INACTIVE, 0L);
            CELLS.setRelease(cells, w * CELL_STRIDE + PERSISTENT, 0L);
        }
        clearOverload();
    }

    /**
     * IPVS's overhead for {@code lc}/{@code wlc}: {@code active * 256 + inactive}
     * ({@code ip_vs_dest_conn_overhead}).
     */
    public int overhead()
    {
        return (activeConns() << 8) + inactiveConns();
    }

    private void applyThresholds(final int delta)
    {
        if (delta > 0)
        {
            // ip_vs_bind_dest
            final int upper = upperThreshold();
            if (upper != 0 && totalConns() >= upper)
            {
                setOverload();
            }
        }
        else if (delta < 0)
        {
            // ip_vs_unbind_dest
            final int upper = upperThreshold();
            final int lower = lowerThreshold();
            final long total = totalConns();
            if (lower != 0)
            {
                if (total < lower)
                {
                    clearOverload();
                }
            }
            else if (upper != 0)
            {
                if (total * DEFAULT_LOWER_DENOMINATOR < (long)upper * DEFAULT_LOWER_NUMERATOR)
                {
                    clearOverload();
                }
            }
            else
            {
                clearOverload();
            }
        }
    }

    private void setOverload()
    {
        OVERLOAD_EPOCH.setRelease(this, (int)THRESHOLD_EPOCH.getOpaque(this));
        if (((int)FORWARDING_FLAGS.getOpaque(this) & FLAG_OVERLOAD) == 0)
        {
            FORWARDING_FLAGS.getAndBitwiseOrRelease(this, FLAG_OVERLOAD);
        }
    }

    private void clearOverload()
    {
        if (((int)FORWARDING_FLAGS.getOpaque(this) & FLAG_OVERLOAD) != 0)
        {
            FORWARDING_FLAGS.getAndBitwiseAndRelease(this, ~FLAG_OVERLOAD);
        }
    }

    @Override
    public String toString()
    {
        return "RealServer{id=" + id + ", address=" + Ipv4.toString(address) + ", port=" + port +
            ", weight=" + weight() + ", active=" + activeConns() + ", inactive=" + inactiveConns() +
            (isOverloaded() ? ", overloaded" : "") + '}';
    }
}
