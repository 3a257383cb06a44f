package io.jlvs.dataplane.service;

import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.Scheduler;
import io.jlvs.scheduler.Schedulers;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Control plane: turns the requested services into a new {@link ServiceTable}, validating everything before it
 * changes anything, so that a bad request leaves the running table as it was (never half-applied).
 * <p>
 * A real server that stays (same service, same address and port) keeps its {@link RealServer} object, so its
 * connection counts and its established connections survive a reload. A removed server stays reachable by id
 * (IPVS's "trash") while connections still point at it, and gets no new ones.
 */
public final class ServiceTableBuilder
{
    private final int workers;
    private int nextId;
    private int generation;

    public ServiceTableBuilder()
    {
        this(1);
    }

    /** A builder for a director with {@code workers} forwarding workers (one scheduler instance each). */
    public ServiceTableBuilder(final int workers)
    {
        if (workers < 1)
        {
            throw new IllegalArgumentException("workers must be >= 1, workers=" + workers);
        }
        this.workers = workers;
    }

    /**
     * Builds the table that replaces {@code previous}.
     *
     * @throws IllegalArgumentException naming the service and what is wrong; {@code previous} and its servers are
     *                                  then untouched.
     */
    public synchronized ServiceTable build(final List<VirtualServiceSpec> specs, final ServiceTable previous)
    {
        return build(specs, previous, IntUnaryOperator.identity());
    }

    /**
     * As {@link #build(List, ServiceTable)}, with where each TUN real server's packets go next (the server itself
     * when on-link, else a gateway): the neighbour cache resolves that address for it.
     */
    public synchronized ServiceTable build(
        final List<VirtualServiceSpec> specs, final ServiceTable previous, final IntUnaryOperator tunnelNextHop)
    {
        validate(specs);

        final Map<String, RealServer> reusable = new HashMap<>();
        final Map<String, VirtualService> previousServices = new HashMap<>();
        for (final VirtualService service : previous.services())
        {
            previousServices.put(serviceIdentity(service.spec()), service);
            final RealServer[] servers = service.servers();
            for (int i = 0; i < servers.length; i++)
            {
                reusable.put(identity(service.spec(), servers[i].address(), servers[i].port()), servers[i]);
            }
        }

        // Nothing below can fail on user input: validate() has checked it all.
        int id = nextId;
        final List<VirtualService> services = new ArrayList<>(specs.size());
        final Long2ObjectHashMap<VirtualService> byKey = new Long2ObjectHashMap<>();
        final Set<RealServer> kept = new HashSet<>();
        final List<RealServer> created = new ArrayList<>();
        final IntHashSet vips = new IntHashSet();
        final IntHashSet neighbours = new IntHashSet();

        for (final VirtualServiceSpec spec : specs)
        {
            final List<RealServerSpec> rsSpecs = spec.realServers();
            final RealServer[] servers = new RealServer[rsSpecs.size()];
            final ForwardingMethod[] methods = new ForwardingMethod[rsSpecs.size()];
            for (int i = 0; i < servers.length; i++)
            {
                final RealServerSpec rs = rsSpecs.get(i);
                RealServer server = reusable.remove(identity(spec, rs.address(), rs.port()));
                if (server == null)
                {
                    server = new RealServer(id++, rs.address(), rs.port(), rs.weight(), workers);
                    // No traffic until the neighbour cache has its MAC, or frames would be scheduled into the void.
                    // Written before the table is published, so the forwarding thread's ownership starts after it.
                    server.neighbourReachable(rs.method() == ForwardingMethod.LOCAL);
                    created.add(server);
                }
                else
                {
                    kept.add(server);
                }
                server.weight(rs.weight()).upperThreshold(rs.upperThreshold()).lowerThreshold(rs.lowerThreshold());
                server.enabled(true);
                servers[i] = server;
                methods[i] = rs.method();
                if (rs.method() == ForwardingMethod.ROUTE)
                {
                    neighbours.add(rs.address());
                }
                else if (rs.method() == ForwardingMethod.TUNNEL)
                {
                    neighbours.add(tunnelNextHop.applyAsInt(rs.address()));
                }
            }
            // Passing the previous instance keeps what IPVS keeps across an edit: the rr cursor, the wrr current
            // weight, the lblc cache. One instance per worker: a scheduler's state has one writer.
            final VirtualService before = previousServices.get(serviceIdentity(spec));
            final Scheduler[] schedulers = new Scheduler[workers];
            for (int w = 0; w < workers; w++)
            {
                schedulers[w] = Schedulers.create(spec.scheduler(), servers.clone(), spec.schedulerFlags(),
                    before == null ? null : before.scheduler(w));
            }
            final VirtualService service = new VirtualService(spec, schedulers, servers, methods);
            services.add(service);
            for (final VirtualAddress address : spec.addresses())
            {
                byKey.put(ServiceTable.key(spec.protocol(), address.address(), address.port()), service);
                vips.add(address.address());
            }
        }

        final RealServer[] byId = new RealServer[id];
        final ForwardingMethod[] methodById = new ForwardingMethod[id];
        final int[] nextHopById = new int[id];
        boolean local = false;
        for (final VirtualService service : services)
        {
            final RealServer[] servers = service.servers();
            for (int i = 0; i < servers.length; i++)
            {
                final int serverId = servers[i].id();
                byId[serverId] = servers[i];
                methodById[serverId] = service.method(i);
                nextHopById[serverId] = service.method(i) == ForwardingMethod.TUNNEL ?
                    tunnelNextHop.applyAsInt(servers[i].address()) : servers[i].address();
                local |= service.method(i) == ForwardingMethod.LOCAL;
            }
        }
        for (final RealServer old : previous.serversById())
        {
            if (old != null && !kept.contains(old) && byId[old.id()] == null && hasConnections(old))
            {
                // IPVS keeps a deleted destination in its trash while connections use it; so do we.
                old.enabled(false);
                byId[old.id()] = old;
                methodById[old.id()] = previous.method(old.id());
                nextHopById[old.id()] = previous.nextHop(old.id());
                neighbours.add(previous.nextHop(old.id()));
            }
        }
        for (final RealServer gone : reusable.values())
        {
            gone.enabled(false);
        }

        nextId = id;
        generation++;
        return new ServiceTable(services, byKey, byId, methodById, nextHopById, toArray(vips), toArray(neighbours), local,
            generation, null, 0);
    }

    private static boolean hasConnections(final RealServer server)
    {
        return server.activeConns() + server.inactiveConns() + server.persistentConns() > 0;
    }

    private static String serviceIdentity(final VirtualServiceSpec spec)
    {
        return spec.protocol() + "/" + spec.fwmark() + "/" + spec.addresses().get(0) + "/" + spec.scheduler();
    }

    private static String identity(final VirtualServiceSpec spec, final int address, final int port)
    {
        final VirtualAddress first = spec.addresses().get(0);
        return spec.protocol() + "/" + spec.fwmark() + "/" + first + "/" + Ipv4.toString(address) + ":" + port;
    }

    private static int[] toArray(final IntHashSet set)
    {
        final int[] result = new int[set.size()];
        int i = 0;
        final IntHashSet.IntIterator it = set.iterator();
        while (it.hasNext())
        {
            result[i++] = it.nextValue();
        }
        java.util.Arrays.sort(result);
        return result;
    }

    /** Every check that can reject a request, run before anything changes. */
    static void validate(final List<VirtualServiceSpec> specs)
    {
        final Map<Long, VirtualServiceSpec> seen = new HashMap<>();
        for (final VirtualServiceSpec spec : specs)
        {
            if (!Schedulers.exists(spec.scheduler()))
            {
                throw new IllegalArgumentException("virtual service " + spec + ": unknown scheduler '" +
                    spec.scheduler() + "', known: " + Schedulers.names());
            }
            for (final VirtualAddress address : spec.addresses())
            {
                final VirtualServiceSpec other =
                    seen.put(ServiceTable.key(spec.protocol(), address.address(), address.port()), spec);
                if (other != null)
                {
                    throw new IllegalArgumentException("virtual service " + spec.protocolName() + " " + address +
                        " is defined twice (" + other + " and " + spec + ")");
                }
                if (address.port() == 0 && spec.persistenceTimeoutSeconds() == 0)
                {
                    throw new IllegalArgumentException("virtual service " + spec + ": port 0 (all ports) needs " +
                        "persistence, as in IPVS");
                }
            }
            final Set<String> servers = new HashSet<>();
            for (final RealServerSpec rs : spec.realServers())
            {
                if (!servers.add(rs.toString()))
                {
                    throw new IllegalArgumentException("virtual service " + spec + ": real server " + rs +
                        " is listed twice");
                }
            }
        }
    }
}
