package io.jlvs.healthcheck;

import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One virtual service as the monitor tracks it: its real servers, its quorum state, and the effective spec that
 * follows from them (keepalived's {@code ipwrapper.c}). Guarded by the monitor's lock.
 * <p>
 * Effective spec, as keepalived leaves the IPVS table:
 * <ul>
 *   <li>quorum up, or no sorry server: every alive server at its current weight; a down server is left out, or kept
 *   at weight 0 with {@code inhibit_on_failure}; a sorry server with {@code sorry_server_inhibit} sits at weight
 *   0.</li>
 *   <li>quorum down with a sorry server: the sorry server takes every new connection; real servers with
 *   {@code inhibit_on_failure} stay at weight 0 (their established connections go on), the others are left out.</li>
 * </ul>
 * Quorum: up when the weight of the alive servers reaches {@code quorum + hysteresis}, down when it falls below
 * {@code quorum - hysteresis} or to 0. Without a sorry server, losing quorum only runs {@code quorum_down}: the
 * alive servers keep serving.
 */
final class ServiceHealth
{
    MonitoredService desired;
    List<ServerHealth> servers = new ArrayList<>();
    boolean quorumUp;

    ServiceHealth(final MonitoredService desired)
    {
        this.desired = desired;
    }

    VirtualServiceConfig config()
    {
        return desired.config();
    }

    String name()
    {
        return desired.config().displayName();
    }

    /** Sum of the current weights of the alive servers: keepalived's {@code weigh_live_realservers}. */
    long liveWeight()
    {
        long sum = 0;
        for (final ServerHealth server : servers)
        {
            if (server.alive)
            {
                sum += server.weight;
            }
        }
        return sum;
    }

    /** keepalived's {@code set_quorum_states}: the state a service starts in, without notifications. */
    void initialQuorum()
    {
        quorumUp = liveWeight() >= (long)config().quorum() + config().hysteresis();
    }

    boolean sorryServerActive()
    {
        return config().sorryServer() != null && !quorumUp;
    }

    /**
     * keepalived's {@code update_quorum_state}: gains or loses quorum with hysteresis and runs {@code quorum_up} or
     * {@code quorum_down}. With {@code init} (start or reload of the service) a service already down with a sorry
     * server that is not yet in place also counts as losing it, so that its script runs and the sorry server comes in.
     *
     * @param sorryAlreadyIn the sorry server was already standing in before a reload.
     * @return whether the quorum state changed.
     */
    boolean updateQuorum(
        final boolean init, final boolean sorryAlreadyIn, final Notifier notifier, final Consumer<String> log)
    {
        final VirtualServiceConfig config = config();
        final long weight = liveWeight();
        final long threshold = (long)config.quorum() + (quorumUp ? -config.hysteresis() : config.hysteresis());
        if (!quorumUp && weight >= threshold)
        {
            quorumUp = true;
            log.accept("Gained quorum " + config.quorum() + '+' + config.hysteresis() + '=' + threshold + " <= " +
                weight + " for VS " + name() + (config.sorryServer() != null ? "; removing sorry server " +
                config.sorryServer().endpoint() : ""));
            run(notifier, config.quorumUp(), "virtual service " + name() + " gained quorum");
            return true;
        }
        final boolean lost = quorumUp && (weight == 0 || weight < threshold);
        final boolean startingDown = init && !quorumUp && config.sorryServer() != null && !sorryAlreadyIn;
        if (lost || startingDown)
        {
            quorumUp = false;
            log.accept((lost ? "Lost quorum " : "Starting with quorum down ") + config.quorum() + '-' +
                config.hysteresis() + '=' + threshold + " > " + weight + " for VS " + name() +
                (config.sorryServer() != null ? "; adding sorry server " + config.sorryServer().endpoint() : ""));
            run(notifier, config.quorumDown(), "virtual service " + name() + " lost quorum");
            return lost;
        }
        return false;
    }

    /** The spec the director runs now. */
    VirtualServiceSpec effectiveSpec()
    {
        final VirtualServiceSpec spec = desired.spec();
        final RealServerConfig sorry = config().sorryServer();
        final List<RealServerSpec> effective = new ArrayList<>(servers.size() + 1);
        final boolean sorryIn = sorryServerActive();
        for (final ServerHealth server : servers)
        {
            if (sorryIn && isSorry(sorry, server))
            {
                // keepalived's s_svr_duplicates_rs: one entry, the sorry server's, stands for both.
                continue;
            }
            if (server.config.inhibitOnFailure() && (sorryIn || !server.alive))
            {
                effective.add(server.withWeight(0));
            }
            else if (server.alive && !sorryIn)
            {
                effective.add(server.withWeight(server.weight));
            }
        }
        if (sorryIn)
        {
            effective.add(sorrySpec(sorry, sorry.weight()));
        }
        else if (sorry != null && sorry.inhibitOnFailure() && !duplicatesRealServer(sorry))
        {
            // sorry_server_inhibit: kept in the table at weight 0 while not needed, as keepalived does.
            effective.add(sorrySpec(sorry, 0));
        }
        return new VirtualServiceSpec(spec.protocol(), spec.addresses(), spec.fwmark(), spec.scheduler(),
            spec.schedulerFlags(), spec.persistenceTimeoutSeconds(), spec.persistenceNetmask(), effective,
            spec.excludedSourceMacs());
    }

    HealthStatus.Service status()
    {
        final List<HealthStatus.Server> list = new ArrayList<>(servers.size());
        for (final ServerHealth server : servers)
        {
            list.add(server.status());
        }
        return new HealthStatus.Service(name(), quorumUp, sorryServerActive(), list);
    }

    private boolean duplicatesRealServer(final RealServerConfig sorry)
    {
        for (final ServerHealth server : servers)
        {
            if (isSorry(sorry, server))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isSorry(final RealServerConfig sorry, final ServerHealth server)
    {
        return sorry != null && sorry.address() == server.spec.address() && sorry.port() == server.spec.port();
    }

    private RealServerSpec sorrySpec(final RealServerConfig sorry, final int weight)
    {
        return new RealServerSpec(sorry.address(), sorry.port(), weight, sorry.upperThreshold(),
            sorry.lowerThreshold(), method(sorry.method() != null ? sorry.method() : config().method()));
    }

    /** keepalived's {@code lb_kind} to the director's method; a file without one means DR here (NAT is refused). */
    private static io.jlvs.dataplane.service.ForwardingMethod method(final ForwardingMethod method)
    {
        return method == ForwardingMethod.TUN ? io.jlvs.dataplane.service.ForwardingMethod.TUNNEL :
            io.jlvs.dataplane.service.ForwardingMethod.ROUTE;
    }

    static void run(final Notifier notifier, final String script, final String event)
    {
        if (script != null)
        {
            notifier.notify(script, event);
        }
    }
}
