package io.jlvs.healthcheck;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PATH_CHECK driving a real director (root only): the director forwards DR on the lab's director interface, the
 * health monitor's checks run in its namespace and send their probes with the director's neighbour cache, and what
 * the monitor publishes is what the director runs. A real server that loses its VIP leaves the published services
 * (so clients are no longer sent into a black hole) and returns once the VIP is back.
 */
class PathCheckDirectorLabTest
{
    private static final int DELAY_LOOP_S = 1;
    private static final int RETRY = 1;
    private static final int DELAY_BEFORE_RETRY_S = 1;
    private static final int CONNECT_TIMEOUT_S = 1;
    /**
     * Bounds each wait: a failure is seen within delay_loop, confirmed after retry more attempts delay_before_retry
     * apart, each taking up to connect_timeout; the margin covers scheduling on a loaded 2-core machine.
     */
    private static final long MARGIN_MS = 10_000;
    private static final long DOWN_WAIT_MS = TimeUnit.SECONDS.toMillis(DELAY_LOOP_S +
        (long)(RETRY + 1) * (DELAY_BEFORE_RETRY_S + CONNECT_TIMEOUT_S)) + MARGIN_MS;
    /** Coming back takes one pass, within a delay_loop (plus the ARP of a server the director forgot). */
    private static final long UP_WAIT_MS = TimeUnit.SECONDS.toMillis(DELAY_LOOP_S + CONNECT_TIMEOUT_S) + MARGIN_MS;
    /** rr over the servers up: each of them answers twice. */
    private static final int REQUESTS_PER_SERVER = 2;

    @Test
    void serverThatLosesItsVipLeavesThePublishedServicesAndComesBackWithIt() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final List<String> log = new CopyOnWriteArrayList<>();
        try (Lab lab = Lab.start())
        {
            final String namespace = lab.directorNamespace();
            final String rs1 = endpoint(lab, 1);
            final String rs2 = endpoint(lab, 2);
            final String rs3 = endpoint(lab, 3);
            final String vip = Ipv4.toString(lab.vip()) + "/32";
            final AfPacketTransport transport = NetworkNamespace.call(namespace,
                () -> AfPacketTransport.open(TransportOptions.of(lab.directorInterface())));
            final Director director = new Director(transport,
                DirectorOptions.defaults().withRingSize(256).withConnectionCapacity(1 << 16));
            final LinkedBlockingQueue<List<VirtualServiceSpec>> published = new LinkedBlockingQueue<>();
            final HealthMonitor monitor = new HealthMonitor(TestServices.parse(conf(lab)), specs ->
                {
                    director.apply(specs);
                    published.add(specs);
                },
                HealthMonitorOptions.defaults()
                    .withContext(checker -> NetworkNamespace.call(namespace, checker::check))
                    .withCheckers(CheckerFactory.keepalived(
                        PathProbeOptions.on(lab.directorInterface(), director.neighbours()::lookupShared)))
                    .withBootstrapDelayMs(0)
                    .withLog(line -> log.add(System.nanoTime() / 1_000_000 + " ms: " + line)));
            try
            {
                monitor.start();
                director.start();
                assertEquals(List.of(), TestServices.servers(published.take().get(0)), "alpha: all start down");
                await(published, List.of(rs1, rs2, rs3), UP_WAIT_MS, "all up", log);
                assertEquals(List.of("rs1", "rs2", "rs3"), answerers(lab, 3));

                lab.exec(lab.realServerNamespace(2), "ip", "addr", "del", vip, "dev", "lo");
                try
                {
                    await(published, List.of(rs1, rs3), DOWN_WAIT_MS, "rs2 out without its VIP", log);
                    // Every request is answered: none goes to the server that would drop it.
                    assertEquals(List.of("rs1", "rs3"), answerers(lab, 2));
                    assertTrue(log.stream().anyMatch(line -> line.contains("Removing service " +
                        Ipv4.toString(lab.realServerAddress(2)) + ":80") && line.contains("no answer from")),
                        () -> String.join("\n", log));
                }
                finally
                {
                    lab.exec(lab.realServerNamespace(2), "ip", "addr", "add", vip, "dev", "lo");
                }
                await(published, List.of(rs1, rs2, rs3), UP_WAIT_MS, "rs2 back with its VIP", log);
                assertEquals(List.of("rs1", "rs2", "rs3"), answerers(lab, 3));
                assertNull(director.failure(), () -> "director failed: " + director.failure());
            }
            finally
            {
                // The checks hold sockets in the lab's namespaces, and so does the director: both go first.
                monitor.close();
                director.close();
            }
        }
    }

    /** Three DR servers on VIP:80, each with a PATH_CHECK only, alpha so that each must pass before it serves. */
    private static String conf(final Lab lab)
    {
        final StringBuilder conf = new StringBuilder("virtual_server " + Ipv4.toString(lab.vip()) + " 80 {\n" +
            "  delay_loop " + DELAY_LOOP_S + "\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  alpha\n");
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            conf.append("  real_server ").append(Ipv4.toString(lab.realServerAddress(n))).append(" 80 {\n")
                .append("    PATH_CHECK {\n      retry ").append(RETRY).append("\n      delay_before_retry ")
                .append(DELAY_BEFORE_RETRY_S).append("\n      connect_timeout ").append(CONNECT_TIMEOUT_S)
                .append("\n      warmup 0\n    }\n  }\n");
        }
        return conf.append("}\n").toString();
    }

    private static String endpoint(final Lab lab, final int n)
    {
        return Ipv4.toString(lab.realServerAddress(n)) + ":80@1";
    }

    /** {@code servers} x {@link #REQUESTS_PER_SERVER} new connections to the VIP: who answered, sorted, once each. */
    private static List<String> answerers(final Lab lab, final int servers) throws Exception
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < servers * REQUESTS_PER_SERVER; i++)
        {
            final String name = lab.httpGet("/").trim();
            if (!names.contains(name))
            {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** Takes publications until one lists exactly {@code wanted}, within {@code waitMs}. */
    private static void await(
        final LinkedBlockingQueue<List<VirtualServiceSpec>> published, final List<String> wanted, final long waitMs,
        final String what, final List<String> log) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<String> last = null;
        while (System.nanoTime() - deadlineNs < 0)
        {
            final List<VirtualServiceSpec> next =
                published.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null)
            {
                break;
            }
            last = TestServices.servers(next.get(0));
            if (last.equals(wanted))
            {
                return;
            }
        }
        fail(what + ": not published within " + waitMs + " ms; last published " + last + "\n" +
            String.join("\n", log));
    }
}
