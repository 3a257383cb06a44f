package io.jlvs.cli;

import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jlvs run} refusing to start: every check here happens before an interface is opened. */
class RunCommandTest
{
    /** No interface of this name exists: Linux names are at most 15 characters and this one is unused. */
    private static final String NO_SUCH_INTERFACE = "jlvsnosuch0";

    @TempDir
    Path directory;

    @Test
    void badConfigExitsTwoWithFileLineColumnAndStartsNothing() throws IOException
    {
        final Path config = write("bad.conf",
            "! bad weight\n" +
            "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "        weight heavy\n" +
            "    }\n" +
            "}\n");
        final Path control = directory.resolve("control.sock");

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", control.toString());

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertEquals("jlvs: " + config + ":7:16: expected a weight 0..65535, found 'heavy'\n", cli.err());
        assertEquals("", cli.out());
        assertFalse(Files.exists(control), "no control socket for a director that never started");
    }

    @Test
    void missingConfigFileExitsTwo()
    {
        final Path config = directory.resolve("missing.conf");

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", directory.resolve("control.sock").toString());

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("jlvs: " + config), cli.toString());
    }

    @Test
    void ringSizeThatIsNotAPowerOfTwoExitsTwo() throws IOException
    {
        final Path config = write("good.conf", goodConfig());

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", directory.resolve("control.sock").toString(), "--ring-size", "1000");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("ring size must be a power of two"), cli.toString());
    }

    @Test
    void unknownWaitStrategyIsAUsageError() throws IOException
    {
        final Path config = write("good.conf", goodConfig());

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--wait", "nap");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("--wait"), cli.toString());
    }

    @Test
    void workersOutsideOneToSixtyFourAreAUsageErrorAndStartNothing() throws IOException
    {
        final Path config = write("good.conf", goodConfig());
        final Path control = directory.resolve("control.sock");

        for (final String workers : List.of("0", "65", "-1"))
        {
            final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
                "--control", control.toString(), "--workers", workers);

            assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
            assertEquals("jlvs: --workers must be 1..64, workers=" + workers + "\n", cli.err());
            assertFalse(Files.exists(control), "no control socket for a director that never started");
        }
    }

    @Test
    void severalWorkersNeedAfPacketBecauseOnlyItsFanoutGroupSplitsTheInterface() throws IOException
    {
        final Path config = write("good.conf", goodConfig());

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", directory.resolve("control.sock").toString(), "--io", "pcap", "--workers", "2");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("jlvs: --workers 2 needs --io afpacket"), cli.toString());
    }

    @Test
    void theRxRingIsV3OrV2AndV2NeedsAfPacket() throws IOException
    {
        final Path config = write("good.conf", goodConfig());
        final String control = directory.resolve("control.sock").toString();

        final Cli unknown = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", control, "--rx-ring", "v4");
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("expected v3 or v2, got 'v4'"), unknown.toString());

        final Cli pcap = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", control, "--io", "pcap", "--rx-ring", "v2");
        assertEquals(ExitCodes.USAGE, pcap.exitCode(), pcap.toString());
        assertEquals("jlvs: --rx-ring v2 needs --io afpacket (pcap has no ring of ours), io=pcap\n", pcap.err());

        final Cli v2 = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", control, "--rx-ring", "V2");
        assertEquals(ExitCodes.FAILURE, v2.exitCode(), v2.toString());
        assertTrue(v2.err().contains("setsockopt(PACKET_VERSION, TPACKET_V2)") ||
            v2.err().contains("cannot open interface " + NO_SUCH_INTERFACE), v2.toString());
    }

    @Test
    void severalWorkersNeedRoomForAConnectionInEachShard() throws IOException
    {
        final Path config = write("good.conf", goodConfig());

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", directory.resolve("control.sock").toString(), "--workers", "4", "--connections", "3");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("jlvs: --connections must be at least --workers"), cli.toString());
    }

    @Test
    void validWorkersGoOnToOpenTheInterfaceWhichFailsHere() throws IOException
    {
        final Path config = write("good.conf", goodConfig());

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", directory.resolve("control.sock").toString(), "--workers", "64");

        assertEquals(ExitCodes.FAILURE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("jlvs: cannot open interface " + NO_SUCH_INTERFACE + " with afpacket: "),
            cli.toString());
    }

    @Test
    void helpSaysThatAClientAlwaysLandsOnOneWorker()
    {
        final Cli cli = Cli.run("run", "--help");

        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        final String help = cli.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--workers=N"), help);
        assertTrue(help.contains("a client's traffic always lands on one worker, which keeps persistence and " +
            "fragments right, and one client alone therefore uses one worker"), help);
    }

    @Test
    void warningsAreReportedWithFileLineColumnAndAnInterfaceThatCannotBeOpenedExitsOne() throws IOException
    {
        final Path config = write("warn.conf",
            "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    frobnicate 3\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "    }\n" +
            "}\n");
        final Path control = directory.resolve("control.sock");

        final Cli cli = Cli.run("run", "--config", config.toString(), "--interface", NO_SUCH_INTERFACE,
            "--control", control.toString());

        assertEquals(ExitCodes.FAILURE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("jlvs: warning: " + config +
            ":5:5: unknown keyword 'frobnicate' in virtual_server is ignored\n"), cli.toString());
        assertTrue(cli.err().contains("jlvs: cannot open interface " + NO_SUCH_INTERFACE + " with afpacket: "),
            cli.toString());
        assertFalse(Files.exists(control), "no control socket for a director that never started");
    }

    private static String goodConfig()
    {
        return "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "    }\n" +
            "}\n";
    }

    private Path write(final String name, final String text) throws IOException
    {
        final Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
