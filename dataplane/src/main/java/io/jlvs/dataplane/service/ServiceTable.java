package io.jlvs.dataplane.service;

import io.jlvs.scheduler.RealServer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.List;

/**
 * An immutable snapshot of every virtual service and real server, published by the control plane through one
 * volatile field and read by the forwarding thread: lookups by (protocol, address, port) and by real server id.
 */
public final class ServiceTable
{
    public static final ServiceTable EMPTY = new ServiceTable(List.of(), new Long2ObjectHashMap<>(),
        new RealServer[0], new int[0], new int[0], 0);

    private static final int PORT_BITS = 16;
    private static final int PROTOCOL_SHIFT = 48;
    private static final long ADDRESS_MASK = 0xFFFF_FFFFL;

    private final List<VirtualService> services;
    private final Long2ObjectHashMap<VirtualService> byKey;
    private final RealServer[] byId;
    private final int[] virtualAddresses;
    private final int[] neighbourAddresses;
    private final int generation;

    ServiceTable(
        final List<VirtualService> services,
        final Long2ObjectHashMap<VirtualService> byKey,
        final RealServer[] byId,
        final int[] virtualAddresses,
        final int[] neighbourAddresses,
        final int generation)
    {
        this.services = List.copyOf(services);
        this.byKey = byKey;
        this.byId = byId;
        this.virtualAddresses = virtualAddresses;
        this.neighbourAddresses = neighbourAddresses;
        this.generation = generation;
    }

    static long key(final int protocol, final int address, final int port)
    {
        return ((long)protocol << PROTOCOL_SHIFT) | ((address & ADDRESS_MASK) << PORT_BITS) | port;
    }

    /**
     * The service for a packet to {@code address:port}: an exact match first, then a port-zero service on that
     * address. Allocation-free.
     */
    public VirtualService lookup(final int protocol, final int address, final int port)
    {
        final VirtualService exact = byKey.get(key(protocol, address, port));
        return exact != null ? exact : byKey.get(key(protocol, address, 0));
    }

    /** The real server with this id, also one removed from the configuration whose connections still run; or null. */
    public RealServer server(final int id)
    {
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** Every server slot by id (nulls for ids no longer used); do not modify. */
    public RealServer[] serversById()
    {
        return byId;
    }

    public List<VirtualService> services()
    {
        return services;
    }

    /** Every VIP, for ARP; do not modify. */
    public int[] virtualAddresses()
    {
        return virtualAddresses;
    }

    /** Every real server address the neighbour cache must keep resolved; do not modify. */
    public int[] neighbourAddresses()
    {
        return neighbourAddresses;
    }

    /** Increases with every published table, so a reader can tell a new one cheaply. */
    public int generation()
    {
        return generation;
    }

    public boolean isVirtualAddress(final int address)
    {
        for (final int vip : virtualAddresses)
        {
            if (vip == address)
            {
                return true;
            }
        }
        return false;
    }
}
