package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.endpoint.EndpointCounter;
import io.jlvs.endpoint.EndpointOptions;
import io.jlvs.endpoint.TunnelEndpoint;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TUN PATH_CHECK on the lab's wire (root only): from the director namespace, in IPIP to a real server on the segment
 * and to one behind the router (the next hop then comes from the director namespace's routing table). The lab's
 * kernel has no ipip module, so each real server runs jlvs' tunnel endpoint, which hands the inner SYN to its stack.
 */
class PathCheckTunnelLabTest
{
    private static final long TIMEOUT_MS = 1_000;
    private static final CheckTiming TIMING = new CheckTiming(0, 1_000, 1_000, 0, false);
    private static final long ENDPOINT_STOP_MS = 2_000;

    @Test
    void tunCheckReachesOnLinkAndRoutedServersAndFailsOnceTheVipIsGone() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final List<Endpoint> endpoints = new ArrayList<>();
        // rp_filter off: the inner packet arrives on the TUN device from an address routed through eth0.
        try (Lab lab = Lab.start(LabSpec.builder().realServerCount(1).withProbe(false).withRouter(true)
            .sysctl("net.ipv4.conf.all.rp_filter", "0").build()))
        {
            try
            {
                endpoints.add(Endpoint.start(lab.realServerNamespace(1), lab.vip()));
                endpoints.add(Endpoint.start(lab.routedRealServerNamespace(1), lab.vip()));
                final int onLink = lab.realServerAddress(1);
                final int routed = lab.routedRealServerAddress(1);
                final CheckOutcome direct = run(lab, onLink);
                final CheckOutcome throughRouter = run(lab, routed);
                assertTrue(direct.passed(), direct::detail);
                assertTrue(throughRouter.passed(), throughRouter::detail);
                assertTrue(endpoints.get(1).delivered() > 0, "the routed server's SYN came through its tunnel");

                final String vip = Ipv4.toString(lab.vip()) + "/32";
                final String namespace = lab.routedRealServerNamespace(1);
                lab.exec(namespace, "ip", "addr", "del", vip, "dev", "lo");
                final CheckOutcome without;
                try
                {
                    without = run(lab, routed);
                }
                finally
                {
                    lab.exec(namespace, "ip", "addr", "add", vip, "dev", "lo");
                }
                assertEquals(CheckOutcome.fail("PATH_CHECK 198.18.0.100:80 via " + Ipv4.toString(routed) +
                    " (TUN): no answer from 198.18.0.100:80 within 1000 ms (does the real server hold the VIP?)"),
                    without);
                final CheckOutcome back = run(lab, routed);
                assertTrue(back.passed(), back::detail);
            }
            finally
            {
                // Their sockets and TUN devices live in the lab's namespaces: they go before the lab.
                for (final Endpoint endpoint : endpoints)
                {
                    endpoint.close();
                }
            }
        }
    }

    private static CheckOutcome run(final Lab lab, final int server) throws Exception
    {
        final PathCheck config = new PathCheck("lab.conf", 1, server, ForwardingMethod.TUN,
            List.of(new VirtualAddress(lab.vip(), Lab.HTTP_PORT)), TIMEOUT_MS, TIMING);
        final PathChecker checker = new PathChecker(config, PathProbeOptions.FROM_ROUTES);
        return NetworkNamespace.call(lab.directorNamespace(), checker::check);
    }

    /** A tunnel endpoint opened inside a real server's namespace, its loop on a thread of its own. */
    private static final class Endpoint implements AutoCloseable
    {
        private final TunnelEndpoint endpoint;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Endpoint(final TunnelEndpoint endpoint, final String namespace)
        {
            this.endpoint = endpoint;
            // Outside the namespace: the loop only uses the descriptors opened in it.
            this.thread = new Thread(() -> endpoint.run(running), "tunnel-endpoint " + namespace);
            thread.setDaemon(true);
        }

        static Endpoint start(final String namespace, final int vip) throws Exception
        {
            final EndpointOptions options = EndpointOptions.builder().interfaceName(Lab.HOST_INTERFACE).vip(vip)
                .build();
            final Endpoint started = new Endpoint(NetworkNamespace.call(namespace, () -> TunnelEndpoint.open(options)),
                namespace);
            started.thread.start();
            return started;
        }

        long delivered()
        {
            return endpoint.counters().get(EndpointCounter.DELIVERED);
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            endpoint.close();
            thread.join(ENDPOINT_STOP_MS);
        }
    }
}
