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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, case 3 (a kernel update that silently stopped IPVS, "No route to host"): {@code jlvs doctor} run as an
 * operator runs it, a process in the lab's director namespace, checks what jlvs itself needs there. Each fault put
 * into the director is named, once, with the command that fixes it; after that command the doctor names none.
 * The output is read as a script reads it ({@code --json}). Root only.
 */
class DirectorDoctorLabTest
{
    @TempDir
    Path directory;

    private Lab lab;
    private int runs;

    @BeforeEach
    void buildLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start(LabSpec.builder().realServerCount(2).withProbe(false).build());
    }

    @AfterEach
    void tearDown()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    @Test
    void namesIpForwardingAndTheVipOnTheDirectorsInterfaceEachWithItsFixAndNothingAfterIt() throws Exception
    {
        final String ns = lab.directorNamespace();
        final String vip = LabAddresses.formatIpv4(lab.vip());

        // The lab's director is right: the probe opened jlvs's ring in the doctor's own namespace, the director's.
        final DoctorRun healthy = doctor();
        healthy.assertNoProblems();
        healthy.assertOk("packet-socket", "an AF_PACKET socket with an mmap'd TPACKET_V3 ring opens on eth0");
        healthy.assertOk("ip-forward", "ip_forward is 0");
        healthy.assertOk("vip-not-local", vip + " is not configured on this host");

        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        final DoctorRun forwarding = doctor();
        final Finding ipForward = forwarding.assertOnlyProblem("ip-forward", Severity.WARN,
            "sysctl -w net.ipv4.ip_forward=0");
        assertTrue(ipForward.message().startsWith("ip_forward is 1: the kernel also routes every VIP frame jlvs " +
            "forwards"), forwarding.json());
        DoctorRun.applyFix(lab, ns, ipForward);
        doctor().assertNoProblems();

        // What an operator used to IPVS does on a new director: the VIP on the interface, as a real address.
        lab.exec(ns, "ip", "addr", "add", vip + "/24", "dev", lab.directorInterface());
        final DoctorRun vipOnEth0 = doctor();
        final Finding vipNotLocal = vipOnEth0.assertOnlyProblem("vip-not-local", Severity.FAIL,
            "ip addr del " + vip + "/24 dev eth0");
        assertTrue(vipNotLocal.message().startsWith(vip + " is configured on eth0 (" + vip + "/24): the kernel " +
            "answers ARP for it and accepts its packets itself"), vipOnEth0.json());
        DoctorRun.applyFix(lab, ns, vipNotLocal);
        doctor().assertNoProblems();
    }

    @Test
    void withTheConfigChecksItsVipsAndEachDrRealServerOnTheSegmentAndNamesOneThatIsNot() throws Exception
    {
        final String vip = LabAddresses.formatIpv4(lab.vip());
        final String rs1 = LabAddresses.formatIpv4(lab.realServerAddress(1));
        final String rs2 = LabAddresses.formatIpv4(lab.realServerAddress(2));
        // DR to an address off the segment: the frame would carry a MAC nobody on eth0 has.
        final String elsewhere = "198.19.1.11";
        final Path config = directory.resolve("keepalived.conf");
        Files.writeString(config, config(vip, rs1, rs2, elsewhere));

        final DoctorRun withConfig = DoctorRun.run(lab.directorNamespace(), directory, "doctor-config",
            "--interface", lab.directorInterface(), "--config", config.toString());

        withConfig.assertOk("vip-not-local", vip + " is not configured on this host");
        final List<Finding> sameSegment = withConfig.findings("same-segment");
        assertTrue(sameSegment.size() == 3 &&
            sameSegment.get(0).message().startsWith("real server " + rs1 + " is in eth0's prefix ") &&
            sameSegment.get(1).message().startsWith("real server " + rs2 + " is in eth0's prefix "),
            withConfig.json());
        final Finding offSegment = withConfig.assertOnlyProblem("same-segment", Severity.WARN, "");
        assertTrue(offSegment.message().startsWith("DR real server " + elsewhere + " is in none of eth0's " +
            "prefixes"), withConfig.json());
    }

    /** {@code jlvs doctor --interface eth0 --vip VIP --json} in the director namespace. */
    private DoctorRun doctor() throws IOException, InterruptedException
    {
        runs++;
        return DoctorRun.run(lab.directorNamespace(), directory, "doctor-" + runs,
            "--interface", lab.directorInterface(), "--vip", LabAddresses.formatIpv4(lab.vip()));
    }

    private static String config(final String vip, final String... servers)
    {
        final StringBuilder text = new StringBuilder();
        text.append("virtual_server ").append(vip).append(" 80 {\n");
        text.append("    lb_algo rr\n");
        text.append("    lb_kind DR\n");
        text.append("    protocol TCP\n");
        for (final String server : servers)
        {
            text.append("    real_server ").append(server).append(" 80 {\n");
            text.append("        weight 1\n");
            text.append("    }\n");
        }
        text.append("}\n");
        return text.toString();
    }
}
