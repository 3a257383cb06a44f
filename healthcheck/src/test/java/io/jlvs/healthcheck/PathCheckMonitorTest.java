package io.jlvs.healthcheck;

import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.RealServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PATH_CHECK in the monitor: made by the real factory, judged by keepalived's rules, kept across a reload. */
class PathCheckMonitorTest
{
    private static final long BOOTSTRAP_MS = HealthMonitorOptions.DEFAULT_BOOTSTRAP_DELAY_MS;
    private static final String PATH_RS2 = "path 10.0.0.2";

    /** Two DR servers with a PATH_CHECK every 5 s, {@code retry} more attempts one second apart, no warmup. */
    private static String conf(final int retry)
    {
        final String check = "    PATH_CHECK {\n      retry " + retry + "\n      delay_before_retry 1\n" +
            "      warmup 0\n      connect_timeout 2\n    }\n";
        return "virtual_server 10.0.0.1 80 {\n  delay_loop 5\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n" +
            "  real_server 10.0.0.2 80 {\n" + check + "  }\n" +
            "  real_server 10.0.0.3 80 {\n" + check + "  }\n}\n";
    }

    @Test
    void keepalivedFactoryMakesAPathCheckerForAPathCheck()
    {
        final RealServerConfig server = TestServices.parse(conf(1)).get(0).config().realServers().get(0);
        final PathCheck config = (PathCheck)server.checks().get(0);
        assertEquals(ForwardingMethod.DR, config.method());
        final Checker checker = CheckerFactory.KEEPALIVED.create(config);
        assertTrue(checker instanceof PathChecker, checker.getClass().getName());
        assertEquals("PATH_CHECK 10.0.0.1:80 via 10.0.0.2 (DR)", checker.toString());
        assertTrue(CheckerFactory.keepalived(PathProbeOptions.on("eth0", null)).create(config)
            instanceof PathChecker);
    }

    @Test
    void failingPathCheckTakesTheServerOutAfterItsRetriesAndAPassBringsItBack()
    {
        try (MonitorHarness h = new MonitorHarness(conf(1)))
        {
            h.monitor.start();
            h.checkers.fail(PATH_RS2);
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@1", "10.0.0.3:80@1"), h.servers(0), "one failure, one retry left");
            h.clock.advanceMs(1_000);
            assertEquals(List.of("10.0.0.3:80@1"), h.servers(0), h.toString());

            h.checkers.pass(PATH_RS2);
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@1", "10.0.0.3:80@1"), h.servers(0), h.toString());
        }
    }

    @Test
    void reloadThatOnlyChangesTheTimingKeepsTheServerDown()
    {
        try (MonitorHarness h = new MonitorHarness(conf(1)))
        {
            h.monitor.start();
            h.checkers.fail(PATH_RS2);
            h.clock.advanceMs(BOOTSTRAP_MS + 1_000);
            assertEquals(List.of("10.0.0.3:80@1"), h.servers(0));
            final int attempts = h.checkers.attemptTimesMs(PATH_RS2).size();

            h.monitor.reload(TestServices.parse(conf(2)));
            assertEquals(List.of("10.0.0.3:80@1"), h.servers(0), "the same probe: its state is kept");
            assertEquals(attempts, h.checkers.attemptTimesMs(PATH_RS2).size(), "and it was not restarted");
        }
    }
}
