package io.jlvs.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A real server (IPVS "destination") of one virtual service: its address, its weight and the connection counts
 * that the least-connection schedulers read.
 * <p>
 * Threading: the counters, the overload flag and the neighbour flag have exactly one writer, the forwarding thread
 * that owns the connection table; any thread may read them (the listing does). The weight, the thresholds and the
 * enabled flag are written by the control plane and read by the forwarding thread. Writes use release semantics and reads opaque/acquire ones, so readers never see torn
 * values and the writer never pays for a full fence.
 */
public final class RealServer
{
    /** Control flag: the server takes new connections (IPVS {@code IP_VS_DEST_F_AVAILABLE}). */
    private static final int FLAG_AVAILABLE = 1;
    /** Forwarding flag: over the upper connection threshold (IPVS {@code IP_VS_DEST_F_OVERLOAD}). */
    private static final int FLAG_OVERLOAD = 1;
    /** Forwarding flag: the neighbour cache has no MAC for the server. */
    private static final int FLAG_NEIGHBOUR_UNREACHABLE = 2;

    private static final VarHandle WEIGHT;
    private static final VarHandle FLAGS;
    private static final VarHandle FORWARDING_FLAGS;
    private static final VarHandle ACTIVE;
    private static final VarHandle INACTIVE;
    private static final VarHandle PERSISTENT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WEIGHT = lookup.findVarHandle(RealServer.class, "weight", int.class);
            FLAGS = lookup.findVarHandle(RealServer.class, "flags", int.class);
            FORWARDING_FLAGS = lookup.findVarHandle(RealServer.class, "forwardingFlags", int.class);
            ACTIVE = lookup.findVarHandle(RealServer.class, "activeConns", int.class);
            INACTIVE = lookup.findVarHandle(RealServer.class, "inactiveConns", int.class);
            PERSISTENT = lookup.findVarHandle(RealServer.class, "persistentConns", int.class);
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
    private int flags;
    private int forwardingFlags;
    private int upperThreshold;
    private int lowerThreshold;
    private int activeConns;
    private int inactiveConns;
    private int persistentConns;

    /**
     * @param id      stable identity of this server within the director, used by the connection table to refer to
     *                it; ids are never reused while a connection may still point at them.
     * @param address IPv4 address in host byte order.
     * @param port    port, 0..65535 (0 with a port-zero service: keep the client's port).
     * @param weight  IPVS weight, &gt;= 0; 0 quiesces the server.
     */
    public RealServer(final int id, final int address, final int port, final int weight)
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
        this.flags = FLAG_AVAILABLE;
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

    /** Control plane only: schedulers that cache weights (wrr, mh) must be rebuilt after this. */
    public RealServer weight(final int weight)
    {
        if (weight < 0)
        {
            throw new IllegalArgumentException("weight must be >= 0, weight=" + weight);
        }
        WEIGHT.setRelease(this, weight);
        return this;
    }

    /**
     * Whether the control plane lets this server take new connections (health checks pass, not removed);
     * IPVS {@code IP_VS_DEST_F_AVAILABLE}.
     */
    public boolean isEnabled()
    {
        return ((int)FLAGS.getOpaque(this) & FLAG_AVAILABLE) != 0;
    }

    /** Control plane only. */
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

    /** Forwarding thread only. */
    public void neighbourReachable(final boolean reachable)
    {
        final int old = forwardingFlags;
        FORWARDING_FLAGS.setRelease(this, reachable ? old & ~FLAG_NEIGHBOUR_UNREACHABLE : old | FLAG_NEIGHBOUR_UNREACHABLE);
    }

    /** Over its upper connection threshold (IPVS {@code IP_VS_DEST_F_OVERLOAD}); maintained by the counters. */
    public boolean isOverloaded()
    {
        return ((int)FORWARDING_FLAGS.getOpaque(this) & FLAG_OVERLOAD) != 0;
    }

    /** Forwarding thread only (the thread that changes the counters and so applies the thresholds). */
    public void overloaded(final boolean overloaded)
    {
        final int old = forwardingFlags;
        FORWARDING_FLAGS.setRelease(this, overloaded ? old | FLAG_OVERLOAD : old & ~FLAG_OVERLOAD);
    }

    /** Enabled by the control plane and its MAC resolved: may be scheduled, weight and overload permitting. */
    public boolean isAvailable()
    {
        return isEnabled() && isNeighbourReachable();
    }

    /** Upper connection threshold, 0 = none (ipvsadm {@code -x}). */
    public int upperThreshold()
    {
        return upperThreshold;
    }

    public RealServer upperThreshold(final int upperThreshold)
    {
        this.upperThreshold = upperThreshold;
        return this;
    }

    /** Lower connection threshold, 0 = none (ipvsadm {@code -y}). */
    public int lowerThreshold()
    {
        return lowerThreshold;
    }

    public RealServer lowerThreshold(final int lowerThreshold)
    {
        this.lowerThreshold = lowerThreshold;
        return this;
    }

    public int activeConns()
    {
        return (int)ACTIVE.getOpaque(this);
    }

    public int inactiveConns()
    {
        return (int)INACTIVE.getOpaque(this);
    }

    public int persistentConns()
    {
        return (int)PERSISTENT.getOpaque(this);
    }

    /** Forwarding thread only. */
    public void addActiveConns(final int delta)
    {
        ACTIVE.setRelease(this, activeConns + delta);
    }

    /** Forwarding thread only. */
    public void addInactiveConns(final int delta)
    {
        INACTIVE.setRelease(this, inactiveConns + delta);
    }

    /** Forwarding thread only. */
    public void addPersistentConns(final int delta)
    {
        PERSISTENT.setRelease(this, persistentConns + delta);
    }

    /** Resets the counters, e.g. when a test reuses a server; forwarding thread only. */
    public void resetConns()
    {
        ACTIVE.setRelease(this, 0);
        INACTIVE.setRelease(this, 0);
        PERSISTENT.setRelease(this, 0);
    }

    /**
     * IPVS's overhead for {@code lc}/{@code wlc}: {@code active * 256 + inactive}
     * ({@code ip_vs_dest_conn_overhead}).
     */
    public int overhead()
    {
        return (activeConns() << 8) + inactiveConns();
    }

    @Override
    public String toString()
    {
        return "RealServer{id=" + id + ", address=" + Ipv4.toString(address) + ", port=" + port +
            ", weight=" + weight() + ", active=" + activeConns() + ", inactive=" + inactiveConns() + '}';
    }
}
