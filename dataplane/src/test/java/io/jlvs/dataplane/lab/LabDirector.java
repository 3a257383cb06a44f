package io.jlvs.dataplane.lab;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.RealServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A director running in-process on a lab's director interface, for the lab tests. */
final class LabDirector implements AutoCloseable
{
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    final Director director;

    private LabDirector(final Director director)
    {
        this.director = director;
    }

    /** Opens the packet socket inside the director's namespace (it stays there), applies the services, starts. */
    static LabDirector start(final Lab lab, final List<VirtualServiceSpec> services) throws Exception
    {
        return start(lab, services, TransportOptions.of(lab.directorInterface()));
    }

    static LabDirector start(final Lab lab, final List<VirtualServiceSpec> services, final TransportOptions options)
        throws Exception
    {
        return start(lab, services, options, director -> {});
    }

    /** {@code beforeApply} configures the director (e.g. Local delivery) before the services are applied. */
    static LabDirector start(
        final Lab lab, final List<VirtualServiceSpec> services, final TransportOptions options,
        final java.util.function.Consumer<Director> beforeApply) throws Exception
    {
        final AfPacketTransport transport = NetworkNamespace.call(lab.directorNamespace(),
            () -> AfPacketTransport.open(options));
        final Director director = new Director(transport,
            DirectorOptions.defaults().withRingSize(256).withConnectionCapacity(1 << 16));
        try
        {
            beforeApply.accept(director);
            director.apply(services);
            director.start();
            awaitResolved(director);
        }
        catch (final Exception | AssertionError ex)
        {
            director.close();
            throw ex;
        }
        return new LabDirector(director);
    }

    /** Every real server of the lab on {@code port}, with the given weights (1 each when none). */
    static List<RealServerSpec> realServers(final Lab lab, final int port, final int... weights)
    {
        final List<RealServerSpec> servers = new ArrayList<>();
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            servers.add(RealServerSpec.route(lab.realServerAddress(n), port, weights.length == 0 ? 1 : weights[n - 1]));
        }
        return servers;
    }

    private static void awaitResolved(final Director director) throws InterruptedException
    {
        final long deadline = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        while (System.nanoTime() < deadline)
        {
            boolean all = true;
            for (final RealServer server : director.table().serversById())
            {
                all &= server == null || server.isNeighbourReachable();
            }
            if (all && director.table().serversById().length > 0)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("real servers' MACs not resolved within 10 s, failure=" + director.failure());
    }

    /** Every counter that is not zero, and the transport's: what a failing lab test prints. */
    String diagnostics()
    {
        final StringBuilder out = new StringBuilder("director counters:");
        for (final io.jlvs.dataplane.counter.Counter counter : io.jlvs.dataplane.counter.Counter.values())
        {
            final long value = director.counters().get(counter);
            if (value != 0)
            {
                out.append(' ').append(counter).append('=').append(value);
            }
        }
        return out.append("\ntransport: ").append(director.transport().counters())
            .append("\nfailure: ").append(director.failure()).toString();
    }

    @Override
    public void close()
    {
        director.close();
    }
}
