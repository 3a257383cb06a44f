package io.jlvs.doctor;

import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jlvs.doctor.Expect.fail;
import static io.jlvs.doctor.Expect.warn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doctor on the lab's hosts, reading from inside their namespaces (root only): the lab's real server is right,
 * each fault put into it is named with the command that fixes it, and running that very command makes the doctor
 * name none again.
 */
class DoctorLabTest
{
    /** A sysctl read takes microseconds; this only bounds a namespace thread that died. */
    private static final long READ_TIMEOUT_SECONDS = 10;

    @Test
    void namesEachFaultOfARealServerAndNoneAfterItsFix() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start(LabSpec.builder().realServerCount(1).withProbe(false).build());
             NamespaceHost host = new NamespaceHost(lab.realServerNamespace(1)))
        {
            final String ns = lab.realServerNamespace(1);
            final String vip = Ipv4.toString(lab.vip());
            final DoctorOptions options = DoctorOptions.builder().mode(Mode.DR).vip(lab.vip())
                .client(lab.clientAddress()).build();

            final Diagnosis healthy = Doctor.diagnose(Role.REAL_SERVER, options, host.view());
            Expect.allOk(healthy, "interface", "vip-on-lo", "arp-ignore", "arp-announce", "rp-filter", "reply-route",
                "firewall", "masquerade");
            // read inside the namespace: the host's own namespace has no route to the lab's client
            Expect.says(healthy, "interface", "eth0 faces the director and the clients (replies to 198.18.0.10 " +
                "leave by it)");

            // all=0 alone changes nothing while eth0 keeps 1: the kernel uses the larger of the two
            lab.exec(ns, "sysctl", "-w", "net.ipv4.conf.all.arp_ignore=0");
            Expect.problems(Doctor.diagnose(Role.REAL_SERVER, options, host.view()));
            lab.exec(ns, "sysctl", "-w", "net.ipv4.conf.eth0.arp_ignore=0");
            final Diagnosis answersArp = Doctor.diagnose(Role.REAL_SERVER, options, host.view());
            Expect.problems(answersArp,
                fail("arp-ignore", "sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1"));
            assertEquals(Diagnosis.EXIT_FAIL, answersArp.exitCode());
            applyFix(lab, ns, answersArp);
            Expect.problems(Doctor.diagnose(Role.REAL_SERVER, options, host.view()));

            lab.exec(ns, "ip", "addr", "del", vip + "/32", "dev", "lo");
            lab.exec(ns, "ip", "addr", "add", vip + "/24", "dev", "lo");
            final Diagnosis wideVip = Doctor.diagnose(Role.REAL_SERVER, options, host.view());
            final String moveBack = "ip addr del " + vip + "/24 dev lo && ip addr add " + vip + "/32 dev lo";
            Expect.problems(wideVip, fail("vip-on-lo", moveBack), fail("reply-route", moveBack));
            applyFix(lab, ns, wideVip);
            Expect.problems(Doctor.diagnose(Role.REAL_SERVER, options, host.view()));

            if (LocalHostView.findExecutable("nft") != null)
            {
                lab.exec(ns, "nft", "add table inet doctor");
                lab.exec(ns, "nft", "add chain inet doctor out { type filter hook output priority 0 ; }");
                lab.exec(ns, "nft", "add rule inet doctor out ip saddr " + vip + " tcp sport 80 drop");
                final Diagnosis dropsReplies = Doctor.diagnose(Role.REAL_SERVER, options, host.view());
                final List<Finding> firewall = dropsReplies.findings("firewall");
                assertEquals(1, firewall.size(), DiagnosisRenderer.text(dropsReplies));
                assertEquals(Severity.FAIL, firewall.get(0).severity());
                assertTrue(firewall.get(0).fix().startsWith("nft delete rule inet doctor out handle "),
                    firewall.get(0).fix());
                applyFix(lab, ns, dropsReplies);
                Expect.problems(Doctor.diagnose(Role.REAL_SERVER, options, host.view()));
            }
        }
    }

    @Test
    void theLabsDirectorNeedsNothingButThePacketSocketProbe() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start(LabSpec.builder().realServerCount(2).withProbe(false).build());
             NamespaceHost host = new NamespaceHost(lab.directorNamespace()))
        {
            final DoctorOptions options = DoctorOptions.builder().interfaceName(lab.directorInterface())
                .vip(lab.vip())
                .realServer(lab.realServerAddress(1), Mode.DR)
                .realServer(lab.realServerAddress(2), Mode.DR)
                .build();

            final Diagnosis diagnosis = Doctor.diagnose(Role.DIRECTOR, options, host.view());

            // the doctor module cannot open packet sockets itself; the application gives it the probe
            Expect.problems(diagnosis, warn("packet-socket", ""));
            Expect.says(diagnosis, "vip-not-local", Ipv4.toString(lab.vip()) + " is not configured on this host");
            assertEquals(2, diagnosis.findings("same-segment").size());

            lab.exec(lab.directorNamespace(), "sysctl", "-w", "net.ipv4.ip_forward=1");
            final Diagnosis forwarding = Doctor.diagnose(Role.DIRECTOR, options, host.view());
            Expect.problems(forwarding, warn("packet-socket", ""),
                warn("ip-forward", "sysctl -w net.ipv4.ip_forward=0"));
            applyFix(lab, lab.directorNamespace(), forwarding);
            Expect.problems(Doctor.diagnose(Role.DIRECTOR, options, host.view()), warn("packet-socket", ""));
        }
    }

    /** Runs every fix the diagnosis offers, in the namespace, as the operator would paste them. */
    private static void applyFix(final Lab lab, final String namespace, final Diagnosis diagnosis) throws IOException
    {
        final List<String> done = new ArrayList<>();
        for (final Finding finding : diagnosis.findings())
        {
            if (finding.severity() == Severity.OK || finding.fix().isEmpty() || done.contains(finding.fix()))
            {
                continue;
            }
            done.add(finding.fix());
            for (final String command : finding.fix().split(" && "))
            {
                lab.exec(namespace, command.split(" "));
            }
        }
        assertFalse(done.isEmpty(), "nothing to fix in:\n" + DiagnosisRenderer.text(diagnosis));
    }

    /**
     * A {@link LocalHostView} of one namespace: commands through {@code ip netns exec}, /proc/sys reads on a thread
     * that entered the namespace (the commands run from this thread, which stays in the host's namespace).
     */
    private static final class NamespaceHost implements AutoCloseable
    {
        private final ExecutorService reader;
        private final LocalHostView view;

        NamespaceHost(final String namespace)
        {
            this.reader = Executors.newSingleThreadExecutor(body -> new Thread(() ->
            {
                try (NetworkNamespace ignored = NetworkNamespace.enter(namespace))
                {
                    body.run();
                }
            }, "doctor-reader-" + namespace));
            this.view = LocalHostView.builder()
                .commandPrefix(Arrays.asList("ip", "netns", "exec", namespace))
                .fileReader(path ->
                {
                    final Future<String> text = reader.submit(() -> Files.readString(path));
                    try
                    {
                        return text.get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                    catch (final ExecutionException ex)
                    {
                        if (ex.getCause() instanceof IOException)
                        {
                            throw (IOException)ex.getCause();
                        }
                        throw new IOException(ex.getCause());
                    }
                    catch (final Exception ex)
                    {
                        throw new IOException("reading " + path + " in " + namespace + ": " + ex, ex);
                    }
                })
                .build();
        }

        LocalHostView view()
        {
            return view;
        }

        @Override
        public void close() throws InterruptedException
        {
            // the reader thread leaves the namespace before the lab deletes it
            reader.shutdown();
            reader.awaitTermination(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
