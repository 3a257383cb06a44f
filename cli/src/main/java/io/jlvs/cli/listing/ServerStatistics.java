package io.jlvs.cli.listing;

import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.scheduler.RealServer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control plane's view of the real servers' traffic counters: what {@code jlvs zero} reset them to, and their
 * rates, estimated as IPVS does ({@link RateEstimator}) from samples a control-plane timer takes every 2 seconds.
 * <p>
 * A real server's counters have one writer, the forwarding thread, so the control plane cannot reset them as
 * {@code ipvsadm -Z} resets IPVS's. Zeroing records each server's counters at that moment as a baseline instead,
 * and the listing shows the counters less their baseline. Servers are the dataplane's {@link RealServer} objects,
 * which a reload keeps for the servers that stay, so their baselines stay too; a server that leaves the table takes
 * its baseline with it.
 */
public final class ServerStatistics
{
    /** How often {@link #sample} should be called: IPVS's estimation period. */
    public static final long SAMPLE_INTERVAL_NS = RateEstimator.INTERVAL_NS;
    /**
     * A sample closer than this to the previous one is skipped: a timer catching up after a stall fires in a burst,
     * and a growth over a sliver of time says little about the rate.
     */
    private static final long MIN_SAMPLE_SPACING_NS = SAMPLE_INTERVAL_NS / 2;

    /** Guarded by this object. */
    private final Map<RealServer, Stats> baselines = new IdentityHashMap<>();
    /** Guarded by this object. */
    private final Map<RealServer, RateEstimator> estimators = new IdentityHashMap<>();

    /** The server's totals since it was added or last zeroed. */
    public synchronized Stats totals(final RealServer server)
    {
        final Stats now = raw(server);
        final Stats baseline = baselines.get(server);
        return baseline == null ? now : now.minus(baseline);
    }

    /** {@code ipvsadm -Z}: counts {@code servers} from zero from now on, their rates too. */
    public synchronized void zero(final Collection<RealServer> servers)
    {
        for (final RealServer server : servers)
        {
            final Stats now = raw(server);
            baselines.put(server, now);
            final RateEstimator estimator = estimators.get(server);
            if (estimator != null)
            {
                estimator.zero(now);
            }
        }
    }

    /**
     * The estimation timer's work, at {@code nowNs}: one estimation step for every server of {@code table} (a server
     * seen for the first time starts at rate 0 from its counters now), and servers that left the table forgotten.
     */
    public synchronized void sample(final ServiceTable table, final long nowNs)
    {
        retain(table);
        for (final RealServer server : table.serversById())
        {
            if (server == null)
            {
                continue;
            }
            final RateEstimator estimator = estimators.get(server);
            if (estimator == null)
            {
                estimators.put(server, new RateEstimator(raw(server), nowNs));
            }
            else if (nowNs - estimator.lastNs() >= MIN_SAMPLE_SPACING_NS)
            {
                estimator.sample(raw(server), nowNs);
            }
        }
    }

    /** The server's rates as last estimated; 0 before its second sample. */
    public synchronized Rates rates(final RealServer server)
    {
        final RateEstimator estimator = estimators.get(server);
        return estimator == null ? Rates.ZERO : estimator.rates();
    }

    /** A service's rates: its servers' together. */
    public synchronized Rates rates(final RealServer[] servers)
    {
        final List<RateEstimator> list = new ArrayList<>(servers.length);
        for (final RealServer server : servers)
        {
            final RateEstimator estimator = estimators.get(server);
            if (estimator != null)
            {
                list.add(estimator);
            }
        }
        return RateEstimator.sum(list);
    }

    /** Forgets the servers that are no longer in {@code table}. */
    public synchronized void retain(final ServiceTable table)
    {
        final Map<RealServer, Boolean> present = new IdentityHashMap<>();
        for (final RealServer server : table.serversById())
        {
            if (server != null)
            {
                present.put(server, Boolean.TRUE);
            }
        }
        baselines.keySet().removeIf(server -> !present.containsKey(server));
        estimators.keySet().removeIf(server -> !present.containsKey(server));
    }

    /**
     * The server's single-writer totals. OutPkts and OutBytes stay 0: in DR and TUN the replies go from the real
     * server to the client without crossing the director, as IPVS also reports them.
     */
    static Stats raw(final RealServer server)
    {
        return new Stats(server.connections(), server.inPackets(), 0, server.inBytes(), 0);
    }
}
