package io.jlvs.cli.listing;

import io.jlvs.arp.NeighbourState;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.conntrack.ConnectionState;
import io.jlvs.conntrack.ConnectionTable;
import io.jlvs.conntrack.Timeouts;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualService;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.scheduler.RealServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes a {@link Listing} from a running {@link Director}, on the calling (control) thread.
 * <p>
 * Services, weights and connection counts come from the table the control plane last published and from the real
 * servers' single-writer counters, which any thread may read (each sums its per-worker cells); so may the neighbour
 * cache and the counters. Each forwarding worker owns one shard of the connection table, so each shard is read on
 * its worker's thread, as a task through {@link Director#onEachForwardingThread}, and the shards' rows are merged;
 * all of them are waited for with one timeout.
 */
public final class DirectorSnapshot
{
    /**
     * What {@code ipvsadm -Lnc} shows as a template's state whatever its protocol: IPVS names template states from
     * a table of their own ({@code ip_vs_ctpl_state_name_table}), where a template that was never assured is
     * {@code NONE}; a UDP template is not {@code UDP} there.
     */
    static final String TEMPLATE_STATE = "NONE";

    private DirectorSnapshot()
    {
    }

    /**
     * @param withConnections  also read the connection table (costs each forwarding thread one pass over its shard).
     * @param timeoutMs        how long to wait for the forwarding threads to answer.
     * @throws TimeoutException when a forwarding thread did not answer in time (it is stopped or overloaded).
     */
    public static Listing take(final Director director, final boolean withConnections, final long timeoutMs)
        throws TimeoutException, InterruptedException
    {
        return take(director, withConnections, timeoutMs, new ServerStatistics());
    }

    /**
     * As {@link #take(Director, boolean, long)}, with the servers' counters as {@code statistics} has them (less
     * what {@code jlvs zero} set aside).
     */
    public static Listing take(
        final Director director, final boolean withConnections, final long timeoutMs,
        final ServerStatistics statistics)
        throws TimeoutException, InterruptedException
    {
        return take(director, withConnections, timeoutMs, statistics, null);
    }

    /**
     * As {@link #take(Director, boolean, long, ServerStatistics)}, with the forwarding latency as {@code latency}
     * last sampled it ({@link Latency#NOT_SAMPLED} when {@code latency} is null).
     */
    public static Listing take(
        final Director director, final boolean withConnections, final long timeoutMs,
        final ServerStatistics statistics, final LatencyStatistics latency)
        throws TimeoutException, InterruptedException
    {
        final ServiceTable table = director.table();
        final Timeouts timeouts = director.options().timeouts();
        final List<ConnectionRow> connections = withConnections ?
            connections(director, timeoutMs) : List.of();
        return new Listing(
            director.options().connectionCapacity(),
            director.transport().interfaceName(),
            services(table, statistics),
            timeouts.tcpSeconds(),
            timeouts.tcpFinSeconds(),
            timeouts.udpSeconds(),
            connections,
            counters(director.counters()),
            transportCounters(director.transports()),
            neighbours(director.neighbours()),
            director.workers(),
            latency != null ? latency.latency() : Latency.NOT_SAMPLED);
    }

    /** One row per VIP:port of each service (one per fwmark service), with its servers. */
    public static List<ServiceRow> services(final ServiceTable table, final ServerStatistics statistics)
    {
        final List<ServiceRow> rows = new ArrayList<>();
        for (final VirtualService service : table.services())
        {
            final VirtualServiceSpec spec = service.spec();
            final List<ServerRow> servers = servers(service, statistics);
            // The dataplane counts per server only, so a service's totals are those of the servers it has now:
            // unlike IPVS's own per-service counters, a removed server takes its share with it, and the rows of a
            // service on several VIP:port pairs each show the service's whole total.
            Stats total = Stats.ZERO;
            for (final ServerRow server : servers)
            {
                total = total.plus(server.stats());
            }
            final Rates rates = statistics.rates(service.servers());
            if (spec.fwmark() != 0)
            {
                final VirtualAddress first = spec.addresses().get(0);
                rows.add(row(spec, first, total, servers, rates));
                continue;
            }
            for (final VirtualAddress address : spec.addresses())
            {
                rows.add(row(spec, address, total, servers, rates));
            }
        }
        return rows;
    }

    private static ServiceRow row(
        final VirtualServiceSpec spec, final VirtualAddress address, final Stats total, final List<ServerRow> servers,
        final Rates rates)
    {
        // onePacket is false: the dataplane has no one-packet scheduling (ops) yet, so no service runs with it.
        return new ServiceRow(spec.protocol(), spec.fwmark(), address.address(), address.port(), spec.scheduler(),
            spec.schedulerFlags().bits(), spec.persistenceTimeoutSeconds(), spec.persistenceNetmask(), false, total,
            servers, rates);
    }

    private static List<ServerRow> servers(final VirtualService service, final ServerStatistics statistics)
    {
        final RealServer[] servers = service.servers();
        final List<ServerRow> rows = new ArrayList<>(servers.length);
        for (int i = 0; i < servers.length; i++)
        {
            final RealServer server = servers[i];
            rows.add(new ServerRow(server.address(), server.port(), service.method(i).label(), server.weight(),
                server.activeConns(), server.inactiveConns(), server.persistentConns(), server.upperThreshold(),
                server.lowerThreshold(), statistics.totals(server), statistics.rates(server)));
        }
        return rows;
    }

    private static List<ConnectionRow> connections(final Director director, final long timeoutMs)
        throws TimeoutException, InterruptedException
    {
        final List<List<ConnectionRow>> shards;
        try
        {
            shards = director.onEachForwardingThread(DirectorSnapshot::shard).get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("reading the connection table failed: " + ex.getCause(), ex.getCause());
        }
        return merge(shards);
    }

    /** One worker's shard of the connection table, as rows; on that worker's forwarding thread. */
    private static List<ConnectionRow> shard(final ForwardingHandler handler)
    {
        final ServiceTable table = handler.table();
        final ConnectionTable connections = handler.connections();
        final List<ConnectionRow> rows = new ArrayList<>(connections.size());
        connections.forEach(
            (protocol, clientAddr, clientPort, vaddr, vport, serverId, state, template, expiresInNs) ->
            {
                final RealServer server = table.server(serverId);
                final int destinationAddress = server != null ? server.address() : 0;
                // IPVS connects to the virtual port when the destination has none (DR/TUN port 0).
                final int destinationPort = server != null && server.port() != 0 ? server.port() : vport;
                rows.add(new ConnectionRow(protocol, TimeUnit.NANOSECONDS.toSeconds(expiresInNs),
                    template ? TEMPLATE_STATE : ConnectionState.name(state), clientAddr, clientPort, vaddr,
                    vport, destinationAddress, destinationPort));
            }, System.nanoTime());
        return rows;
    }

    /**
     * The shards' rows as one table, in worker order. A client's connections and its template all live in one
     * shard (the fanout group picks the worker by client address), so no entry is in two shards and the rows are
     * only concatenated; ipvsadm's own listing follows its hash table's order, so no order is promised either.
     */
    static List<ConnectionRow> merge(final List<List<ConnectionRow>> shards)
    {
        int size = 0;
        for (final List<ConnectionRow> shard : shards)
        {
            size += shard.size();
        }
        final List<ConnectionRow> rows = new ArrayList<>(size);
        for (final List<ConnectionRow> shard : shards)
        {
            rows.addAll(shard);
        }
        return rows;
    }

    /** The neighbour cache's entries, read from this thread: its {@code forEach} may be called from any. */
    static List<NeighbourRow> neighbours(final NeighbourTable table)
    {
        final List<NeighbourRow> rows = new ArrayList<>();
        table.forEach((address, mac, state) -> rows.add(new NeighbourRow(address, mac, NeighbourState.name(state))));
        return rows;
    }

    /**
     * Every dataplane counter summed over the workers, and each worker's own count when there are several (the sum
     * is then taken from those counts, read once, so that a line adds up).
     */
    static List<CounterRow> counters(final Counters counters)
    {
        final int workers = counters.workers();
        final List<CounterRow> rows = new ArrayList<>();
        for (final Counter counter : Counter.values())
        {
            if (workers == 1)
            {
                rows.add(new CounterRow(counter.name(), counter.label(), counters.get(counter), counter.isDrop()));
                continue;
            }
            final List<Long> perWorker = new ArrayList<>(workers);
            long total = 0;
            for (int w = 0; w < workers; w++)
            {
                final long value = counters.get(w, counter);
                perWorker.add(value);
                total += value;
            }
            rows.add(new CounterRow(counter.name(), counter.label(), total, counter.isDrop(), perWorker));
        }
        return rows;
    }

    /**
     * Every transport counter summed over the workers' transports (one socket each), and each one's own count when
     * there are several. The sum is taken from the per-worker values read once, so that it is their sum exactly.
     */
    static List<CounterRow> transportCounters(final List<PacketTransport> transports)
    {
        final List<CounterRow> rows = new ArrayList<>();
        for (final TransportCounter counter : TransportCounter.values())
        {
            final List<Long> perWorker = new ArrayList<>(transports.size());
            long total = 0;
            for (final PacketTransport transport : transports)
            {
                final long value = transport.counters().get(counter);
                perWorker.add(value);
                total += value;
            }
            rows.add(new CounterRow(counter.name(), counter.label(), total, false,
                transports.size() > 1 ? perWorker : List.of()));
        }
        return rows;
    }
}
