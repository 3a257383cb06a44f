package io.jlvs.cli.listing;

import java.util.List;

/**
 * Everything {@code jlvs list} can show, taken at one moment from a running director: immutable, so the renderer
 * and the tests need no director.
 *
 * @param size                 the connection table's capacity, printed where ipvsadm prints its hash table size.
 * @param interfaceName        the director interface.
 * @param services             the virtual services in configuration order (the renderer sorts them as ipvsadm does).
 * @param tcpTimeoutSeconds    {@code ipvsadm --timeout}'s tcp (ESTABLISHED).
 * @param tcpFinTimeoutSeconds {@code ipvsadm --timeout}'s tcpfin (FIN_WAIT).
 * @param udpTimeoutSeconds    {@code ipvsadm --timeout}'s udp.
 * @param connections          the connection table, only when it was asked for (reading it costs the forwarding
 *                             thread time), else empty.
 * @param counters             every dataplane counter.
 * @param transportCounters    every counter of the interface's transport.
 * @param neighbours           the neighbour cache's entries: the real servers the director resolves.
 */
public record Listing(
    int size,
    String interfaceName,
    List<ServiceRow> services,
    long tcpTimeoutSeconds,
    long tcpFinTimeoutSeconds,
    long udpTimeoutSeconds,
    List<ConnectionRow> connections,
    List<CounterRow> counters,
    List<CounterRow> transportCounters,
    List<NeighbourRow> neighbours)
{
    public Listing
    {
        services = List.copyOf(services);
        connections = List.copyOf(connections);
        counters = List.copyOf(counters);
        transportCounters = List.copyOf(transportCounters);
        neighbours = List.copyOf(neighbours);
    }
}
