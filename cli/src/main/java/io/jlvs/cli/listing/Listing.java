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
 * @param connections          the connection table, every worker's shard, only when it was asked for (reading it
 *                             costs the forwarding threads time), else empty.
 * @param counters             every dataplane counter.
 * @param transportCounters    every counter of the interface's transports (one per worker), summed.
 * @param neighbours           the neighbour cache's entries: the real servers the director resolves.
 * @param workers              how many forwarding workers the director runs (each counter row then has as many
 *                             per-worker counts when there is more than one).
 * @param latency              the director's forwarding latency as last sampled ({@link Latency#NOT_SAMPLED} when
 *                             nothing samples it).
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
    List<NeighbourRow> neighbours,
    int workers,
    Latency latency)
{
    public Listing
    {
        if (workers < 1)
        {
            throw new IllegalArgumentException("workers must be >= 1, workers=" + workers);
        }
        if (latency == null)
        {
            throw new IllegalArgumentException("latency must be given (Latency.NOT_SAMPLED for none)");
        }
        services = List.copyOf(services);
        connections = List.copyOf(connections);
        counters = List.copyOf(counters);
        transportCounters = List.copyOf(transportCounters);
        neighbours = List.copyOf(neighbours);
    }

    /** A listing without latency samples. */
    public Listing(
        final int size,
        final String interfaceName,
        final List<ServiceRow> services,
        final long tcpTimeoutSeconds,
        final long tcpFinTimeoutSeconds,
        final long udpTimeoutSeconds,
        final List<ConnectionRow> connections,
        final List<CounterRow> counters,
        final List<CounterRow> transportCounters,
        final List<NeighbourRow> neighbours,
        final int workers)
    {
        this(size, interfaceName, services, tcpTimeoutSeconds, tcpFinTimeoutSeconds, udpTimeoutSeconds, connections,
            counters, transportCounters, neighbours, workers, Latency.NOT_SAMPLED);
    }

    /** A listing of a director with one forwarding worker, without latency samples. */
    public Listing(
        final int size,
        final String interfaceName,
        final List<ServiceRow> services,
        final long tcpTimeoutSeconds,
        final long tcpFinTimeoutSeconds,
        final long udpTimeoutSeconds,
        final List<ConnectionRow> connections,
        final List<CounterRow> counters,
        final List<CounterRow> transportCounters,
        final List<NeighbourRow> neighbours)
    {
        this(size, interfaceName, services, tcpTimeoutSeconds, tcpFinTimeoutSeconds, udpTimeoutSeconds, connections,
            counters, transportCounters, neighbours, 1, Latency.NOT_SAMPLED);
    }
}
