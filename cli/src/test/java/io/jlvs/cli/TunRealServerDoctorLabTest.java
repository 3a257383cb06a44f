package io.jlvs.cli;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Severity;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, case 4 (a TUN real server that receives but never answers), replayed: {@code jlvs run} forwards a TUN
 * service from the lab's director to a real server whose kernel has no {@code ipip} module (the test machines'
 * kernels have none). The client's connections fail; {@code jlvs doctor --role real-server --mode tun}, run there as
 * an operator runs it, names the one fault with its fix. {@code jlvs tunnel-endpoint} started as a process on the
 * real server makes the connections work and the finding go away (the doctor finds the process). Strict reverse-path
 * filtering then breaks them again and is named with its fix, after which they work and nothing is named. Root only.
 */
class TunRealServerDoctorLabTest
{
    /** Bounds the wait for the endpoint's JVM to start and open its device; it takes a second or two. */
    private static final long ENDPOINT_START_WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final String TUN_DEVICE = "jlvs-tun0";
    private static final Pattern DELIVERED = Pattern.compile("jlvs: inner packets written to the TUN device: (\\d+)\n");

    @TempDir
    Path directory;

    private Lab lab;
    private LabDirector director;
    private JlvsProcess endpoint;
    private int runs;

    @BeforeEach
    void buildLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start(LabSpec.builder().realServerCount(1).withProbe(false).build());
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        // The processes first: their sockets and the TUN device keep the namespaces alive.
        try
        {
            if (endpoint != null)
            {
                endpoint.close();
            }
        }
        finally
        {
            try
            {
                if (director != null)
                {
                    director.close();
                }
            }
            finally
            {
                if (lab != null)
                {
                    lab.close();
                }
            }
        }
    }

    @Test
    void aTunServerWithoutDecapsulationNeverAnswersTheDoctorNamesItTheEndpointFixesItAndStrictRpFilterIsNamed()
        throws Exception
    {
        final String ns = lab.realServerNamespace(1);
        final String vip = LabAddresses.formatIpv4(lab.vip());
        // New namespaces inherit this host's rp_filter: start from off, so that the only faults are the ones put in.
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
            "net.ipv4.conf.eth0.rp_filter=0");
        final Path config = directory.resolve("keepalived.conf");
        Files.writeString(config, tunConfig(vip, LabAddresses.formatIpv4(lab.realServerAddress(1))));
        director = LabDirector.start(lab, config, directory);
        try
        {
            director.awaitNeighboursReachable(lab.realServerAddress(1));

            // The IPIP packets reach the real server, whose kernel cannot unwrap them: no answer.
            assertThrows(IOException.class, () -> lab.httpGet("/"), "answered without decapsulation");
            final DoctorRun cannotDecapsulate = doctor(ns);
            final Finding decap = cannotDecapsulate.assertOnlyProblem("ipip-decap", Severity.FAIL,
                "modprobe ipip && ip link set dev tunl0 up");
            assertTrue(decap.message().contains("no ipip module, no tunl0, no jlvs tunnel-endpoint running") &&
                decap.message().contains("run bin/jlvs tunnel-endpoint --interface eth0 instead"),
                cannotDecapsulate.json());

            endpoint = JlvsProcess.start(ns, directory, "endpoint", "tunnel-endpoint",
                "--interface", Lab.HOST_INTERFACE, "--vip", vip);
            endpoint.awaitStdout(out -> out.contains("jlvs: tunnel endpoint on eth0, TUN device " + TUN_DEVICE +
                ", VIPs " + vip + "\n"), ENDPOINT_START_WAIT_NS);
            assertTrue(endpoint.stderr().contains("jlvs: ok: VIP " + vip + "/32 is on lo\n"), endpoint.output());
            assertEquals(lab.realServerName(1), lab.httpGet("/").trim());
            final DoctorRun decapsulating = doctor(ns);
            decapsulating.assertNoProblems();
            decapsulating.assertOk("ipip-decap", "jlvs tunnel-endpoint is running (pid " + endpoint.pid() + ")");

            // Strict reverse-path filtering: the unwrapped packets arrive on the TUN device, the route back to the
            // client leaves by eth0, so the kernel drops them and the server never answers again.
            lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=1");
            assertThrows(IOException.class, () -> lab.httpGet("/"), "answered with strict rp_filter");
            final DoctorRun strict = doctor(ns);
            final Finding rpFilter = strict.assertOnlyProblem("rp-filter", Severity.FAIL,
                "sysctl -w net.ipv4.conf.all.rp_filter=0");
            assertTrue(rpFilter.message().startsWith("rp_filter is 1 (strict) on " + TUN_DEVICE + " (all=1, " +
                TUN_DEVICE + "=0"), strict.json());
            DoctorRun.applyFix(lab, ns, rpFilter);
            assertEquals(lab.realServerName(1), lab.httpGet("/").trim());
            doctor(ns).assertNoProblems();

            assertEquals(ExitCodes.OK, endpoint.stop(), endpoint.output());
            final String out = endpoint.stdout();
            assertTrue(out.endsWith("jlvs: stopped\n"), endpoint.output());
            final Matcher delivered = DELIVERED.matcher(out);
            assertTrue(delivered.find() && Long.parseLong(delivered.group(1)) > 0, endpoint.output());
            assertFalse(lab.exec(ns, "ip", "-o", "link", "show").contains(TUN_DEVICE),
                "the TUN device is removed when the endpoint stops");
        }
        catch (final Exception | AssertionError ex)
        {
            System.out.println(director.process().output());
            if (endpoint != null)
            {
                System.out.println(endpoint.output());
            }
            throw ex;
        }
    }

    /** {@code jlvs doctor --role real-server --vip VIP --mode tun --interface eth0 --client CLIENT --json}. */
    private DoctorRun doctor(final String namespace) throws IOException, InterruptedException
    {
        runs++;
        return DoctorRun.run(namespace, directory, "doctor-" + runs, "--role", "real-server",
            "--vip", LabAddresses.formatIpv4(lab.vip()), "--mode", "tun", "--interface", Lab.HOST_INTERFACE,
            "--client", LabAddresses.formatIpv4(lab.clientAddress()));
    }

    private static String tunConfig(final String vip, final String server)
    {
        return "virtual_server " + vip + " 80 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind TUN\n" +
            "    protocol TCP\n" +
            "    real_server " + server + " 80 {\n" +
            "        weight 1\n" +
            "    }\n" +
            "}\n";
    }
}
