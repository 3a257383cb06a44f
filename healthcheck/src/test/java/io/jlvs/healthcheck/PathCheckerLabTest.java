package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PATH_CHECK on the lab's wire (root only), run from inside the director namespace with no director there: the
 * checker resolves each real server's MAC itself and sends its SYN for the VIP to it. A real server holds the VIP on
 * lo until the test deletes it; then its check must fail although its own address still answers.
 */
class PathCheckerLabTest
{
    private static final long TIMEOUT_MS = 1_000;
    private static final CheckTiming TIMING = new CheckTiming(0, 1_000, 1_000, 0, false);
    /** Bounds the wait for the server to drop the half-open connection the RST closes: only a lost RST reaches it. */
    private static final long HALF_OPEN_WAIT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_MS = 20;

    @Test
    void drCheckPassesWithTheVipOnLoFailsWithoutItAndPassesOnceItIsBack() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start())
        {
            final String vip = Ipv4.toString(lab.vip()) + "/32";
            final String rs2 = lab.realServerNamespace(2);
            final CheckOutcome first = run(lab, 1);
            final CheckOutcome second = run(lab, 2);
            assertTrue(first.passed(), first::detail);
            assertTrue(second.passed(), second::detail);

            lab.exec(rs2, "ip", "addr", "del", vip, "dev", "lo");
            final CheckOutcome without;
            final CheckOutcome others;
            try
            {
                without = run(lab, 2);
                others = run(lab, 1);
            }
            finally
            {
                lab.exec(rs2, "ip", "addr", "add", vip, "dev", "lo");
            }
            assertEquals(CheckOutcome.fail("PATH_CHECK 198.18.0.100:80 via " + Ipv4.toString(lab.realServerAddress(2)) +
                " (DR): no answer from 198.18.0.100:80 within 1000 ms (does the real server hold the VIP?)"), without);
            assertTrue(others.passed(), others::detail);
            // Its own address answered throughout: a TCP_CHECK could not have told.
            assertEquals("rs2\n", lab.httpGet(lab.realServerAddress(2), "/"));

            final CheckOutcome back = run(lab, 2);
            assertTrue(back.passed(), back::detail);
        }
    }

    @Test
    void answeredSynIsResetSoTheServerKeepsNoHalfOpenConnection() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start())
        {
            // The director's kernel resets the SYN-ACK too, but here nothing answers ARP for the VIP it would go to:
            // only the checker's RST, sent the forwarding way, can close the server's SYN-RECV entry.
            final CheckOutcome outcome = run(lab, 1);
            assertTrue(outcome.passed(), outcome::detail);
            final long deadlineNs = System.nanoTime() + HALF_OPEN_WAIT_NS;
            String halfOpen = synReceived(lab, 1);
            while (!halfOpen.isEmpty() && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(POLL_MS);
                halfOpen = synReceived(lab, 1);
            }
            assertEquals("", halfOpen, "connections left in SYN-RECV on rs1");
        }
    }

    /** One attempt on real server {@code n}'s VIP:80, from a thread inside the director namespace. */
    static CheckOutcome run(final Lab lab, final int n) throws Exception
    {
        final PathCheck config = new PathCheck("lab.conf", 1, lab.realServerAddress(n), ForwardingMethod.DR,
            List.of(new VirtualAddress(lab.vip(), Lab.HTTP_PORT)), TIMEOUT_MS, TIMING);
        final PathChecker checker = new PathChecker(config, PathProbeOptions.FROM_ROUTES);
        return NetworkNamespace.call(lab.directorNamespace(), checker::check);
    }

    private static String synReceived(final Lab lab, final int n) throws IOException
    {
        return lab.exec(lab.realServerNamespace(n), "ss", "-Htn", "state", "syn-recv").trim();
    }
}
