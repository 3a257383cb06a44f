package io.jlvs.cli;

import io.jlvs.config.KeepalivedConfig;
import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.Reading;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jlvs doctor}'s command line: what is a usage error (exit 2, nothing checked), and what the director's
 * doctor takes from a keepalived.conf. The checks themselves are the doctor module's; the lab tests run the whole
 * command against namespaces ({@link DirectorDoctorLabTest}, {@link TunRealServerDoctorLabTest}).
 */
class DoctorCommandTest
{
    /** No interface of this name exists: Linux names are at most 15 characters and this one is unused. */
    private static final String NO_SUCH_INTERFACE = "jlvsnosuch0";

    @TempDir
    Path directory;

    @Test
    void directorWithoutInterfaceIsAUsageErrorNamingTheOption()
    {
        final Cli cli = Cli.run("doctor", "--vip", "198.18.0.100");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("the director's doctor needs the interface jlvs serves: --interface IF\n"),
            cli.toString());
        assertEquals("", cli.out());
    }

    @Test
    void realServerWithoutVipIsAUsageError()
    {
        final Cli cli = Cli.run("doctor", "--role", "real-server", "--mode", "tun");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("the real server's doctor needs the VIP it serves (--vip)\n"),
            cli.toString());
        assertEquals("", cli.out());
    }

    @Test
    void unknownRoleModeOrAddressIsAUsageErrorNamingTheValue()
    {
        final Cli role = Cli.run("doctor", "--role", "router", "--interface", NO_SUCH_INTERFACE);
        final Cli mode = Cli.run("doctor", "--role", "real-server", "--vip", "198.18.0.100", "--mode", "nat");
        final Cli vip = Cli.run("doctor", "--interface", NO_SUCH_INTERFACE, "--vip", "198.18.0.300");
        final Cli client = Cli.run("doctor", "--interface", NO_SUCH_INTERFACE, "--client", "client");

        assertEquals(ExitCodes.USAGE, role.exitCode(), role.toString());
        assertTrue(role.err().startsWith("role must be director or real-server, role=router\n"), role.toString());
        assertEquals(ExitCodes.USAGE, mode.exitCode(), mode.toString());
        assertTrue(mode.err().startsWith("mode must be dr or tun, mode=nat\n"), mode.toString());
        assertEquals(ExitCodes.USAGE, vip.exitCode(), vip.toString());
        assertTrue(vip.err().startsWith("not an IPv4 address: 198.18.0.300\n"), vip.toString());
        assertEquals(ExitCodes.USAGE, client.exitCode(), client.toString());
        assertTrue(client.err().startsWith("not an IPv4 address: client\n"), client.toString());
    }

    @Test
    void configOnARealServerIsAUsageError() throws Exception
    {
        final Path config = write("keepalived.conf", CONFIG);

        final Cli cli = Cli.run("doctor", "--role", "real-server", "--vip", "198.18.0.100", "--config",
            config.toString());

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("--config describes the director's services"), cli.toString());
    }

    @Test
    void configThatDoesNotParseIsAUsageErrorWithFileLineAndColumn() throws Exception
    {
        final Path config = write("bad.conf",
            "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "        weight heavy\n" +
            "    }\n" +
            "}\n");

        final Cli cli = Cli.run("doctor", "--interface", NO_SUCH_INTERFACE, "--config", config.toString());

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertEquals("jlvs: " + config + ":6:16: expected a weight 0..65535, found 'heavy'\n", cli.err());
        assertEquals("", cli.out());
    }

    @Test
    void configGivesTheDirectorsDoctorEveryVipAndEachRealServerWithItsOwnOrItsServicesMethod() throws Exception
    {
        final Path config = write("keepalived.conf", CONFIG);
        final DoctorOptions.Builder options = DoctorOptions.builder();

        DoctorCommand.addServices(KeepalivedConfig.parse(config), options);

        final DoctorOptions built = options.build();
        assertEquals(List.of(Ipv4.parse("198.18.0.100"), Ipv4.parse("198.18.0.200")), built.vips());
        assertEquals(List.of(
            new DoctorOptions.RealServerTarget(Ipv4.parse("198.18.0.101"), Mode.DR),
            new DoctorOptions.RealServerTarget(Ipv4.parse("198.19.1.11"), Mode.TUN),
            new DoctorOptions.RealServerTarget(Ipv4.parse("198.18.0.50"), Mode.DR),
            new DoctorOptions.RealServerTarget(Ipv4.parse("198.19.1.12"), Mode.TUN)), built.realServers());
    }

    @Test
    void packetSocketProbeOnAMissingInterfaceFailsWithTheTransportsMessage()
    {
        final Reading probe = DoctorCommand.probePacketSocket(NO_SUCH_INTERFACE);

        // Without root, socket() itself is refused; as root, the interface lookup fails. Either is named.
        assertEquals(Reading.Status.FAILED, probe.status(), probe.toString());
        assertTrue(probe.text().contains("'" + NO_SUCH_INTERFACE + "'"), probe.text());
    }

    @Test
    void directorDoctorOnAMissingInterfaceFailsAndSaysSoInJson()
    {
        final Cli cli = Cli.run("doctor", "--interface", NO_SUCH_INTERFACE, "--vip", "198.18.0.100", "--json");

        assertEquals(1, cli.exitCode(), cli.toString());
        assertTrue(cli.out().startsWith("{\n  \"role\": \"director\",\n  \"exitCode\": 1,\n"), cli.toString());
        final Object parsed = Json.parse(cli.out());
        final List<Object> findings = Json.list(Json.map(parsed).get("findings"));
        boolean interfaceFailed = false;
        boolean probeFailed = false;
        for (final Object finding : findings)
        {
            final String check = (String)Json.map(finding).get("check");
            final String severity = (String)Json.map(finding).get("severity");
            interfaceFailed |= "interface".equals(check) && "FAIL".equals(severity);
            probeFailed |= "packet-socket".equals(check) && "FAIL".equals(severity);
        }
        assertTrue(interfaceFailed && probeFailed, cli.out());
    }

    /** Two services: one DR with a TUN server of its own and a sorry server, one TUN. */
    private static final String CONFIG =
        "virtual_server 198.18.0.100 80 {\n" +
        "    lb_algo rr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    sorry_server 198.18.0.50 80\n" +
        "    real_server 198.18.0.101 80 {\n" +
        "        weight 1\n" +
        "    }\n" +
        "    real_server 198.19.1.11 80 {\n" +
        "        weight 1\n" +
        "        lvs_method TUN\n" +
        "    }\n" +
        "}\n" +
        "virtual_server 198.18.0.200 80 {\n" +
        "    lb_algo rr\n" +
        "    lb_kind TUN\n" +
        "    protocol TCP\n" +
        "    real_server 198.19.1.12 80 {\n" +
        "        weight 1\n" +
        "    }\n" +
        "}\n";

    private Path write(final String name, final String text) throws Exception
    {
        final Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
