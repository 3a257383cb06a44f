package io.jlvs.dataplane.service;

import io.jlvs.dataplane.transport.PacketTransport;
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
        new RealServer[0], new ForwardingMethod[0], new int[0], new int[0], new int[0], false, 0, null, 0);

    private static final int PORT_BITS = 16;
    private static final int PROTOCOL_SHIFT = 48;
    private static final long ADDRESS_MASK = 0xFFFF_FFFFL;

    private final List<VirtualService> services;
    private final Long2ObjectHashMap<VirtualService> byKey;
    private final RealServer[] byId;
    private final ForwardingMethod[] methodById;
    private final int[] nextHopById;
    private final int[] virtualAddresses;
    private final int[] neighbourAddresses;
    private final boolean hasLocalServers;
    private final int generation;
    private final PacketTransport[] localTransports;
    private final long localMac;

    ServiceTable(
        final List<VirtualService> services,
        final Long2ObjectHashMap<VirtualService> byKey,
        final RealServer[] byId,
        final ForwardingMethod[] methodById,
        final int[] nextHopById,
        final int[] virtualAddresses,
        final int[] neighbourAddresses,
        final boolean hasLocalServers,
        final int generation,
        final PacketTransport[] localTransports,
        final long localMac)
    {
        this.services = List.copyOf(services);
        this.byKey = byKey;
        this.byId = byId;
        this.methodById = methodById;
        this.nextHopById = nextHopById;
        this.virtualAddresses = virtualAddresses;
        this.neighbourAddresses = neighbourAddresses;
        this.hasLocalServers = hasLocalServers;
        this.generation = generation;
        this.localTransports = localTransports;
        this.localMac = localMac;
    }

    /**
     * The same table with the path into the host's own stack that Local servers are delivered through: one
     * transport per forwarding worker (a transport has one writer).
     */
    public ServiceTable withLocalPath(final PacketTransport[] transports, final long stackSideMac)
    {
        return new ServiceTable(services, byKey, byId, methodById, nextHopById, virtualAddresses, neighbourAddresses,
            hasLocalServers, generation, transports.clone(), stackSideMac);
    }

    /** How frames reach the server with this id; ROUTE for an unknown id. */
    public ForwardingMethod method(final int id)
    {
        return id >= 0 && id < methodById.length && methodById[id] != null ? methodById[id] : ForwardingMethod.ROUTE;
    }

    /**
     * The address whose MAC frames to the server with this id are sent to: the server itself for DR, the next hop
     * of the route to it for TUN; 0 for an unknown id.
     */
    public int nextHop(final int id)
    {
        return id >= 0 && id < nextHopById.length ? nextHopById[id] : 0;
    }

    /** Whether any real server is this host itself. */
    public boolean hasLocalServers()
    {
        return hasLocalServers;
    }

    /** Worker {@code worker}'s transport into the host's own stack, or null when there is none. */
    public PacketTransport localTransport(final int worker)
    {
        return localTransports == null ? null : localTransports[worker];
    }

    /** The destination MAC of frames delivered to the host's own stack. */
    public long localMac()
    {
        return localMac;
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
