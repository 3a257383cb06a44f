package io.jlvs.healthcheck;

import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * TCP_CHECK and HTTP_GET run from inside the lab's director namespace (root only): the real servers' addresses are
 * reachable only from there, so a checker that ignored its context would never see them up.
 */
class HealthMonitorLabTest
{
    private static final int DELAY_LOOP_S = 1;
    private static final int RETRY = 1;
    private static final int DELAY_BEFORE_RETRY_S = 1;
    /**
     * Bounds each wait: a failure is seen within delay_loop, confirmed after retry more attempts delay_before_retry
     * apart; the margin covers thread scheduling on a loaded 2-core machine. Only a broken checker reaches it.
     */
    private static final long MARGIN_MS = 10_000;
    private static final long DOWN_WAIT_MS =
        TimeUnit.SECONDS.toMillis(DELAY_LOOP_S + (long)RETRY * DELAY_BEFORE_RETRY_S) + MARGIN_MS;
    /** Coming back takes one pass for TCP_CHECK and two, a delay_loop apart, for HTTP_GET (keepalived's rule). */
    private static final long UP_WAIT_MS = TimeUnit.SECONDS.toMillis(2L * DELAY_LOOP_S) + MARGIN_MS;

    @Test
    void stoppedHttpServerLeavesTheEffectiveServicesAndComesBackWhenRestarted() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final List<String> log = new CopyOnWriteArrayList<>();
        try (Lab lab = Lab.start())
        {
            final String namespace = lab.directorNamespace();
            final String rs1 = Ipv4.toString(lab.realServerAddress(1)) + ":80@1";
            final String rs2 = Ipv4.toString(lab.realServerAddress(2)) + ":80@1";
            final String rs3 = Ipv4.toString(lab.realServerAddress(3)) + ":80@1";
            final LinkedBlockingQueue<List<VirtualServiceSpec>> published = new LinkedBlockingQueue<>();
            final HealthMonitor monitor = new HealthMonitor(TestServices.parse(conf(lab)), published::add,
                HealthMonitorOptions.defaults()
                    .withContext(checker -> NetworkNamespace.call(namespace, checker::check))
                    .withBootstrapDelayMs(0)
                    .withLog(line -> log.add(System.nanoTime() / 1_000_000 + " ms: " + line)));
            try
            {
                monitor.start();
                assertEquals(List.of(), TestServices.servers(published.take().get(0)), "alpha: all start down");
                await(published, servers -> servers.equals(List.of(rs1, rs2, rs3)), UP_WAIT_MS, "all up", log);

                lab.stopHttpServer(2);
                await(published, servers -> servers.equals(List.of(rs1, rs3)), DOWN_WAIT_MS, "rs2 down", log);

                lab.startHttpServer(2);
                await(published, servers -> servers.equals(List.of(rs1, rs2, rs3)), UP_WAIT_MS, "rs2 back", log);
            }
            finally
            {
                monitor.close();
            }
        }
    }

    private static String conf(final Lab lab)
    {
        final String digest;
        try
        {
            digest = HttpCheckerTest.md5((lab.realServerName(2) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        final String timing = "      retry " + RETRY + "\n      delay_before_retry " + DELAY_BEFORE_RETRY_S +
            "\n      connect_timeout 1\n      warmup 0\n";
        return "virtual_server " + Ipv4.toString(lab.vip()) + " 80 {\n" +
            "  delay_loop " + DELAY_LOOP_S + "\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  alpha\n" +
            "  real_server " + Ipv4.toString(lab.realServerAddress(1)) + " 80 {\n" +
            "    TCP_CHECK {\n" + timing + "    }\n  }\n" +
            "  real_server " + Ipv4.toString(lab.realServerAddress(2)) + " 80 {\n" +
            "    TCP_CHECK {\n" + timing + "    }\n" +
            "    HTTP_GET {\n      url {\n        path /\n        digest " + digest + "\n      }\n" + timing +
            "    }\n  }\n" +
            "  real_server " + Ipv4.toString(lab.realServerAddress(3)) + " 80 {\n" +
            "    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n" +
            "      virtualhost www.jlvs.test\n" + timing + "    }\n  }\n" +
            "}\n";
    }

    /** Takes publications until one matches, within {@code waitMs}. */
    private static void await(
        final LinkedBlockingQueue<List<VirtualServiceSpec>> published, final Predicate<List<String>> wanted,
        final long waitMs, final String what, final List<String> log) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<String> last = null;
        while (System.nanoTime() < deadlineNs)
        {
            final List<VirtualServiceSpec> next =
                published.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null)
            {
                break;
            }
            last = TestServices.servers(next.get(0));
            if (wanted.test(last))
            {
                return;
            }
        }
        fail(what + ": not published within " + waitMs + " ms; last published " + last + "\n" +
            String.join("\n", log));
    }
}
