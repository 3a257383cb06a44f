package io.jlvs.healthcheck;

import io.jlvs.dataplane.service.VirtualServiceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthMonitorTest
{
    private static final String RS2 = "10.0.0.2:80";
    private static final String RS3 = "10.0.0.3:80";
    private static final long BOOTSTRAP_MS = HealthMonitorOptions.DEFAULT_BOOTSTRAP_DELAY_MS;

    /** Two servers, TCP_CHECK every 5 s, retry 2 one second apart, no warmup. */
    private static String twoServers(final String serviceExtra, final String serverExtra)
    {
        return "virtual_server 10.0.0.1 80 {\n" +
            "  delay_loop 5\n  lb_algo wrr\n  lb_kind DR\n  protocol TCP\n" + serviceExtra +
            "  real_server 10.0.0.2 80 {\n    weight 2\n" + serverExtra +
            "    TCP_CHECK {\n      retry 2\n      delay_before_retry 1\n      warmup 0\n    }\n  }\n" +
            "  real_server 10.0.0.3 80 {\n    weight 3\n" + serverExtra +
            "    TCP_CHECK {\n      retry 2\n      delay_before_retry 1\n      warmup 0\n    }\n  }\n" +
            "}\n";
    }

    @Test
    void startPublishesEveryServerUpBeforeAnyCheckRuns()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("", "")))
        {
            h.monitor.start();
            assertEquals(1, h.publications.size());
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@3"), h.servers(0));
            assertEquals(0, h.checkers.attemptCount());
        }
    }

    @Test
    void serverGoesDownOnTheThirdFailedAttemptWithRetryTwoAndComesBackOnOnePass()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("", "")))
        {
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS);
            h.checkers.fail(RS2);
            h.clock.advanceMs(5_000 + 1_000 + 1_000 - 1);
            assertEquals(List.of(1_000L, 6_000L, 7_000L), h.checkers.attemptTimesMs(RS2), h.toString());
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@3"), h.servers(0), "two failures are not enough");
            h.clock.advanceMs(1);
            assertEquals(List.of(1_000L, 6_000L, 7_000L, 8_000L), h.checkers.attemptTimesMs(RS2));
            assertEquals(List.of("10.0.0.3:80@3"), h.servers(0));
            assertEquals(8_000L, h.lastPublication().atMs());

            h.checkers.pass(RS2);
            h.clock.advanceMs(5_000);
            assertEquals(13_000L, h.lastPublication().atMs());
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@3"), h.servers(0));
            assertEquals(3, h.publications.size(), "only changes are published");
        }
    }

    @Test
    void inhibitOnFailureKeepsTheFailedServerAtWeightZero()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  inhibit_on_failure\n", "")))
        {
            h.monitor.start();
            h.checkers.fail(RS3);
            h.clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@0"), h.servers(0));
        }
    }

    @Test
    void whatIsPublishedKeepsTheServicesExcludedSourceMacs()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  inhibit_on_failure\n  jlvs_exclude_source_mac 02:00:00:00:00:aa\n", "")))
        {
            h.monitor.start();
            h.checkers.fail(RS3);
            h.clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(List.of(0x02_00_00_00_00_aaL), h.lastPublication().specs().get(0).excludedSourceMacs(),
                "the ping-pong protection survives a health change");
        }
    }

    @Test
    void serverIsDownWhenAnyOfItsCheckersSaysDown()
    {
        final String conf = "virtual_server 10.0.0.1 80 {\n  delay_loop 5\n  lb_kind DR\n" +
            "  real_server 10.0.0.2 80 {\n" +
            "    TCP_CHECK {\n      retry 0\n      warmup 0\n    }\n" +
            "    MISC_CHECK {\n      misc_path /usr/local/bin/app-ready\n      warmup 0\n    }\n" +
            "  }\n}\n";
        try (MonitorHarness h = new MonitorHarness(conf))
        {
            h.monitor.start();
            h.checkers.fail("/usr/local/bin/app-ready");
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of(), h.servers(0), "TCP passes, MISC fails: down");
            h.checkers.pass("/usr/local/bin/app-ready");
            h.checkers.fail(RS2);
            h.clock.advanceMs(5_000);
            assertEquals(List.of(), h.servers(0), "MISC passes, TCP fails: still down");
            h.checkers.pass(RS2);
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@1"), h.servers(0));
        }
    }

    @Test
    void alphaServersStartDownAndJoinOnTheirFirstPass()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  alpha\n", "")))
        {
            h.checkers.fail(RS3);
            h.monitor.start();
            assertEquals(List.of(), h.servers(0));
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@2"), h.servers(0));
            h.checkers.pass(RS3);
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@3"), h.servers(0));
        }
    }

    @Test
    void dynamicMiscCheckSetsTheWeightTheDirectorGets()
    {
        final String conf = "virtual_server 10.0.0.1 80 {\n  delay_loop 5\n  lb_kind DR\n" +
            "  real_server 10.0.0.2 80 {\n    weight 10\n" +
            "    MISC_CHECK {\n      misc_path /bin/load\n      misc_dynamic\n      warmup 0\n    }\n" +
            "  }\n}\n";
        try (MonitorHarness h = new MonitorHarness(conf))
        {
            h.monitor.start();
            h.checkers.answer("/bin/load", MiscChecker.outcome(42, true));
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@40"), h.servers(0));
            h.checkers.answer("/bin/load", MiscChecker.outcome(0, true));
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@40"), h.servers(0), "exit 0 keeps the weight");
            h.checkers.answer("/bin/load", MiscChecker.outcome(2, true));
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@0"), h.servers(0), "exit 2 quiesces");
            h.checkers.answer("/bin/load", MiscChecker.outcome(1, true));
            h.clock.advanceMs(5_000);
            assertEquals(List.of(), h.servers(0), "exit 1 takes it down (MISC_CHECK's default retry is 0)");
        }
    }

    /** Four servers of weight 1, quorum 3, hysteresis 1, a sorry server and quorum scripts. */
    private static String quorumService(final String extra)
    {
        final StringBuilder conf = new StringBuilder("virtual_server 10.0.0.1 80 {\n  delay_loop 5\n  lb_kind DR\n" +
            "  quorum 3\n  hysteresis 1\n  quorum_up /bin/quorum-up\n  quorum_down /bin/quorum-down\n" + extra);
        for (int n = 2; n <= 5; n++)
        {
            conf.append("  real_server 10.0.0.").append(n).append(" 80 {\n")
                .append("    TCP_CHECK {\n      retry 0\n      warmup 0\n    }\n  }\n");
        }
        return conf.append("}\n").toString();
    }

    @Test
    void quorumIsLostBelowQuorumMinusHysteresisAndRegainedAtQuorumPlusHysteresis()
    {
        try (MonitorHarness h = new MonitorHarness(quorumService("  sorry_server 10.0.0.9 80\n")))
        {
            h.monitor.start();
            assertEquals(4, h.servers(0).size());
            h.checkers.fail("10.0.0.2:80");
            h.checkers.fail("10.0.0.3:80");
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.4:80@1", "10.0.0.5:80@1"), h.servers(0), "2 >= 3 - 1: quorum kept");
            assertTrue(h.monitor.status().get(0).quorumUp());

            h.checkers.fail("10.0.0.4:80");
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.9:80@1"), h.servers(0), "1 < 3 - 1: the sorry server alone");
            assertEquals(List.of("/bin/quorum-down"), h.notifier.scripts());

            h.checkers.pass("10.0.0.2:80");
            h.checkers.pass("10.0.0.3:80");
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.9:80@1"), h.servers(0), "3 < 3 + 1: still down");

            h.checkers.pass("10.0.0.4:80");
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.2:80@1", "10.0.0.3:80@1", "10.0.0.4:80@1", "10.0.0.5:80@1"),
                h.servers(0), "4 >= 3 + 1: quorum back, sorry server out");
            assertEquals(List.of("/bin/quorum-down", "/bin/quorum-up"), h.notifier.scripts());
        }
    }

    @Test
    void withoutSorryServerLosingQuorumOnlyRunsTheScriptAndAliveServersKeepServing()
    {
        try (MonitorHarness h = new MonitorHarness(quorumService("")))
        {
            h.monitor.start();
            h.checkers.fail("10.0.0.2:80");
            h.checkers.fail("10.0.0.3:80");
            h.checkers.fail("10.0.0.4:80");
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.5:80@1"), h.servers(0));
            assertFalse(h.monitor.status().get(0).quorumUp());
            assertEquals(List.of("/bin/quorum-down"), h.notifier.scripts());
        }
    }

    @Test
    void sorryServerStandsInWhenNoServerIsUpEvenWithTheDefaultQuorum()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  sorry_server 10.0.0.9 80\n", "")))
        {
            h.monitor.start();
            h.checkers.fail(RS2);
            h.checkers.fail(RS3);
            h.clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(List.of("10.0.0.9:80@1"), h.servers(0));
            h.checkers.pass(RS3);
            h.clock.advanceMs(5_000);
            assertEquals(List.of("10.0.0.3:80@3"), h.servers(0));
        }
    }

    @Test
    void sorryServerWithInhibitedServersKeepsThemAtWeightZero()
    {
        try (MonitorHarness h = new MonitorHarness(
            twoServers("  sorry_server 10.0.0.9 80\n  inhibit_on_failure\n", "")))
        {
            h.monitor.start();
            h.checkers.fail(RS2);
            h.checkers.fail(RS3);
            h.clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(List.of("10.0.0.2:80@0", "10.0.0.3:80@0", "10.0.0.9:80@1"), h.servers(0));
        }
    }

    @Test
    void alphaServiceStartsOnTheSorryServer()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  alpha\n  sorry_server 10.0.0.9 80\n", "")))
        {
            h.monitor.start();
            assertEquals(List.of("10.0.0.9:80@1"), h.servers(0));
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.3:80@3"), h.servers(0));
        }
    }

    @Test
    void notifyScriptsRunOnEachTransitionOfTheServer()
    {
        try (MonitorHarness h = new MonitorHarness(
            twoServers("", "    notify_up /bin/up\n    notify_down /bin/down\n")))
        {
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of(), h.notifier.scripts(), "passing attempts of an up server notify nothing");
            h.checkers.fail(RS2);
            h.clock.advanceMs(5_000 + 2_000);
            assertEquals(List.of("/bin/down"), h.notifier.scripts());
            h.checkers.pass(RS2);
            h.clock.advanceMs(5_000);
            assertEquals(List.of("/bin/down", "/bin/up"), h.notifier.scripts());
        }
    }

    @Test
    void firstAttemptWaitsForTheBootstrapDelayPlusAtMostTheWarmup()
    {
        final String conf = twoServers("", "").replace("warmup 0", "warmup 3");
        try (MonitorHarness h = new MonitorHarness(conf))
        {
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS + 3_000);
            for (final String target : List.of(RS2, RS3))
            {
                final List<Long> times = h.checkers.attemptTimesMs(target);
                assertEquals(1, times.size(), h.toString());
                assertTrue(times.get(0) >= BOOTSTRAP_MS && times.get(0) <= BOOTSTRAP_MS + 3_000, times.toString());
            }
        }
    }

    @Test
    void reloadKeepsTheStateOfServersThatStayAndStartsNewOnesAsAStartWould()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("  alpha\n", "    notify_down /bin/down\n")))
        {
            h.checkers.fail(RS3);
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@2"), h.servers(0));

            // rs2 stays (weight unchanged), rs3 is removed, rs4 is new and, with alpha, starts down.
            final String next = twoServers("  alpha\n", "    notify_down /bin/down\n")
                .replace("10.0.0.3 80", "10.0.0.4 80").replace("delay_loop 5", "delay_loop 4");
            h.monitor.reload(TestServices.parse(next));
            assertEquals(List.of("10.0.0.2:80@2"), h.servers(0), "rs2 stays up, rs4 waits for its first pass");
            assertEquals(List.of(), h.notifier.scripts(), "rs3 was down: nothing to notify");

            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@2", "10.0.0.4:80@3"), h.servers(0));
            assertEquals(List.of(1_000L), h.checkers.attemptTimesMs(RS2), "rs2 was not restarted");
            h.clock.advanceMs(3_000);
            assertEquals(List.of(1_000L, 5_000L), h.checkers.attemptTimesMs(RS2),
                "rs2's pending attempt moved to the new, shorter delay_loop");
            final int rs3Attempts = h.checkers.attemptTimesMs(RS3).size();
            h.clock.advanceMs(20_000);
            assertEquals(rs3Attempts, h.checkers.attemptTimesMs(RS3).size(), "a removed server is not checked");
        }
    }

    @Test
    void reloadKeepsADownServerDownAndARemovedUpServerRunsItsNotifyDown()
    {
        try (MonitorHarness h = new MonitorHarness(twoServers("", "    notify_down /bin/down\n")))
        {
            h.checkers.fail(RS2);
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(List.of("10.0.0.3:80@3"), h.servers(0));
            assertEquals(List.of("/bin/down"), h.notifier.scripts());

            final String next = twoServers("", "    notify_down /bin/down\n").replace("10.0.0.3 80", "10.0.0.4 80");
            h.monitor.reload(TestServices.parse(next));
            assertEquals(List.of("10.0.0.4:80@3"), h.servers(0), "rs2 stays down across the reload");
            assertEquals(List.of("/bin/down", "/bin/down"), h.notifier.scripts(), "rs3 was up when removed");
        }
    }

    @Test
    void reloadKeepsADynamicWeightUnlessTheConfiguredWeightChanged()
    {
        final String conf = "virtual_server 10.0.0.1 80 {\n  delay_loop 5\n  lb_kind DR\n" +
            "  real_server 10.0.0.2 80 {\n    weight 10\n" +
            "    MISC_CHECK {\n      misc_path /bin/load\n      misc_dynamic\n      warmup 0\n    }\n" +
            "  }\n}\n";
        try (MonitorHarness h = new MonitorHarness(conf))
        {
            h.monitor.start();
            h.checkers.answer("/bin/load", MiscChecker.outcome(7, true));
            h.clock.advanceMs(BOOTSTRAP_MS);
            assertEquals(List.of("10.0.0.2:80@5"), h.servers(0));
            h.monitor.reload(TestServices.parse(conf.replace("delay_loop 5", "delay_loop 6")));
            assertEquals(List.of("10.0.0.2:80@5"), h.servers(0));
            h.monitor.reload(TestServices.parse(conf.replace("weight 10", "weight 20")));
            assertEquals(List.of("10.0.0.2:80@20"), h.servers(0));
        }
    }

    @Test
    void reloadThatRemovesAServiceRunsItsQuorumDownAndDropsIt()
    {
        final String second = "virtual_server 10.0.0.1 443 {\n  lb_kind DR\n  quorum_down /bin/gone\n" +
            "  real_server 10.0.0.2 443 {\n  }\n}\n";
        try (MonitorHarness h = new MonitorHarness(twoServers("", "") + second))
        {
            h.monitor.start();
            assertEquals(2, h.lastPublication().specs().size());
            h.monitor.reload(TestServices.parse(twoServers("", "")));
            assertEquals(1, h.lastPublication().specs().size());
            assertEquals(List.of("/bin/gone"), h.notifier.scripts());
        }
    }

    @Test
    void closeStopsTheChecksAndRunsOmegaScripts()
    {
        final String conf = twoServers("  omega\n  quorum_down /bin/quorum-down\n", "    notify_down /bin/down\n");
        try (MonitorHarness h = new MonitorHarness(conf))
        {
            h.monitor.start();
            h.clock.advanceMs(BOOTSTRAP_MS);
            final int attempts = h.checkers.attemptCount();
            final int published = h.publications.size();
            h.monitor.close();
            h.clock.advanceMs(60_000);
            assertEquals(attempts, h.checkers.attemptCount());
            assertEquals(published, h.publications.size());
            assertEquals(List.of("/bin/down", "/bin/down", "/bin/quorum-down"), h.notifier.scripts());
            assertThrows(IllegalStateException.class, () -> h.monitor.reload(List.of()));
        }
    }

    @Test
    void refusedPublicationIsRetriedWithTheLatestListAfterTheNextAttempt()
    {
        final ManualScheduler clock = new ManualScheduler();
        final ScriptedCheckers checkers = new ScriptedCheckers(clock);
        final List<List<VirtualServiceSpec>> accepted = new java.util.ArrayList<>();
        final boolean[] refuse = {false};
        final HealthMonitor monitor = new HealthMonitor(TestServices.parse(twoServers("", "")), specs ->
        {
            if (refuse[0])
            {
                throw new IllegalArgumentException("refused");
            }
            accepted.add(specs);
        }, HealthMonitorOptions.defaults().withScheduler(clock).withCheckers(checkers)
            .withNotifier(new RecordingNotifier()).withLog(line -> { }));
        try (monitor)
        {
            monitor.start();
            refuse[0] = true;
            checkers.fail(RS2);
            clock.advanceMs(BOOTSTRAP_MS + 2_000);
            assertEquals(1, accepted.size());
            refuse[0] = false;
            clock.advanceMs(3_000 - 1);
            assertEquals(1, accepted.size(), "no attempt yet: nothing retried");
            clock.advanceMs(1);
            assertEquals(2, accepted.size(), "rs3's passing attempt at 6 s retries the refused list");
            assertEquals(List.of("10.0.0.3:80@3"), TestServices.servers(accepted.get(1).get(0)));
        }
    }
}
