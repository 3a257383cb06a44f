package io.jlvs.cli.listing;

import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.scheduler.RealServer;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The control plane's view of the real servers' traffic counters: what {@code jlvs zero} reset them to.
 * <p>
 * A real server's counters have one writer, the forwarding thread, so the control plane cannot reset them as
 * {@code ipvsadm -Z} resets IPVS's. Zeroing records each server's counters at that moment as a baseline instead,
 * and the listing shows the counters less their baseline. Servers are the dataplane's {@link RealServer} objects,
 * which a reload keeps for the servers that stay, so their baselines stay too; a server that leaves the table takes
 * its baseline with it.
 */
public final class ServerStatistics
{
    /** Guarded by this object. */
    private final Map<RealServer, Stats> baselines = new IdentityHashMap<>();

    /** The server's totals since it was added or last zeroed. */
    public synchronized Stats totals(final RealServer server)
    {
        final Stats now = raw(server);
        final Stats baseline = baselines.get(server);
        return baseline == null ? now : now.minus(baseline);
    }

    /** {@code ipvsadm -Z}: counts {@code servers} from zero from now on. */
    public synchronized void zero(final Collection<RealServer> servers)
    {
        for (final RealServer server : servers)
        {
            baselines.put(server, raw(server));
        }
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
