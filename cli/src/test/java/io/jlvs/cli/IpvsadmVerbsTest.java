package io.jlvs.cli;

import io.jlvs.cli.control.ControlClient;
import io.jlvs.cli.control.ControlServer;
import io.jlvs.cli.control.DirectorControl;
import io.jlvs.cli.control.RuntimeServices;
import io.jlvs.cli.listing.ServerStatistics;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.healthcheck.HealthMonitor;
import io.jlvs.healthcheck.HealthMonitorOptions;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.RealServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ipvsadm verbs end to end: {@code jlvs add-server ...} parsed here, sent over a real Unix socket to a
 * {@link DirectorControl} whose edits go through a real {@link HealthMonitor} into a real {@link Director} on an
 * in-memory transport, and read back with {@code list} and {@code save}.
 */
class IpvsadmVerbsTest
{
    private static final long TIMEOUT_MS = 5_000;
    private static final int MAX_POLLS = 500;
    private static final long POLL_MS = 10;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final int CAPACITY = 4096;
    private static final String CONF =
        "virtual_server 198.18.0.100 80 {\n" +
        "    lb_algo wrr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    real_server 198.18.0.101 80 {\n" +
        "        weight 3\n" +
        "    }\n" +
        "    real_server 198.18.0.102 80 {\n" +
        "        weight 2\n" +
        "    }\n" +
        "}\n";
    private static final List<String> HEADER = List.of(
        "IP Virtual Server version 1.2.1 (size=4096)",
        "Prot LocalAddress:Port Scheduler Flags",
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");

    @TempDir
    Path directory;

    private MemoryTransport transport;
    private Director director;
    private HealthMonitor health;
    private ControlServer server;
    private Path path;
    private String control;

    @BeforeEach
    void startDirector() throws Exception
    {
        transport = MemoryTransport.builder().macAddress(DIRECTOR_MAC).ipv4Address(Ipv4.parse("198.18.0.2")).build();
        director = new Director(transport, DirectorOptions.defaults().withConnectionCapacity(CAPACITY));
        final List<MonitoredService> file = services();
        health = new HealthMonitor(file, director::apply, HealthMonitorOptions.defaults().withLog(line -> { }));
        health.start();
        final RuntimeServices runtime = new RuntimeServices(file, health::reload, services -> { });
        director.start();
        path = directory.resolve("control.sock");
        control = path.toString();
        server = ControlServer.start(path, new DirectorControl(director, () ->
        {
            runtime.replace(services());
            return "reloaded";
        }, runtime, new ServerStatistics(), TIMEOUT_MS));
    }

    @AfterEach
    void stopDirector()
    {
        server.close();
        health.close();
        director.close();
    }

    @Test
    void addEditAndDeleteServerChangeWhatTheDirectorRuns() throws Exception
    {
        final Cli add = Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r", "198.18.0.103",
            "-w", "5");
        assertEquals(ExitCodes.OK, add.exitCode(), add.toString());
        assertEquals("", add.out());
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ",
            "  -> 198.18.0.103:80              Route   5      0          0         ");

        final Cli edit = Cli.run("edit-server", "--control", control, "-t", "198.18.0.100:80", "-r",
            "198.18.0.101:80", "-w", "0", "-x", "100");
        assertEquals(ExitCodes.OK, edit.exitCode(), edit.toString());
        final Cli delete = Cli.run("delete-server", "--control", control, "-t", "198.18.0.100:80", "-r",
            "198.18.0.102");
        assertEquals(ExitCodes.OK, delete.exitCode(), delete.toString());
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   0      0          0         ",
            "  -> 198.18.0.103:80              Route   5      0          0         ");
        assertEquals(100, director.table().services().get(0).servers()[0].upperThreshold());
    }

    @Test
    void addEditAndDeleteServiceWithIpvsadmsSchedulingFlags() throws Exception
    {
        assertEquals(ExitCodes.OK, Cli.run("add-service", "--control", control, "-u", "198.18.0.100:53", "-s", "sh",
            "-b", "sh-port", "-p", "60", "-M", "255.255.255.0").exitCode());
        assertEquals(ExitCodes.OK, Cli.run("add-server", "--control", control, "-u", "198.18.0.100:53", "-r",
            "198.18.0.104").exitCode());
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ",
            "UDP  198.18.0.100:53 sh (sh-port) persistent 60 mask 255.255.255.0",
            "  -> 198.18.0.104:53              Route   1      0          0         ");

        // ipvsadm -E replaces every setting: without -p the service is no longer persistent.
        assertEquals(ExitCodes.OK, Cli.run("edit-service", "--control", control, "-u", "198.18.0.100:53", "-s",
            "rr").exitCode());
        assertEquals(ExitCodes.OK, Cli.run("delete-service", "--control", control, "-t", "198.18.0.100:80")
            .exitCode());
        assertListing(
            "UDP  198.18.0.100:53 rr",
            "  -> 198.18.0.104:53              Route   1      0          0         ");
    }

    @Test
    void ipvsadmsRefusalsComeBackAsErrorsAndChangeNothing() throws Exception
    {
        final Cli exists = Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r", "198.18.0.101");
        assertEquals(ExitCodes.FAILURE, exists.exitCode(), exists.toString());
        assertEquals("jlvs: Destination already exists: 198.18.0.101:80 in TCP 198.18.0.100:80\n", exists.err());

        final Cli noService = Cli.run("delete-service", "--control", control, "-t", "198.18.0.100:81");
        assertEquals(ExitCodes.FAILURE, noService.exitCode(), noService.toString());
        assertEquals("jlvs: No such service: TCP 198.18.0.100:81\n", noService.err());

        // Checked here, before the director is asked: a usage error.
        final Cli heavy = Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r", "198.18.0.105",
            "-w", "heavy");
        assertEquals(ExitCodes.USAGE, heavy.exitCode(), heavy.toString());
        assertTrue(heavy.err().contains("illegal weight specified: 'heavy'"), heavy.toString());
        final Cli nat = Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r", "198.18.0.105",
            "-m");
        assertEquals(ExitCodes.USAGE, nat.exitCode(), nat.toString());
        assertTrue(nat.err().contains("masquerading (-m, NAT) is not supported"), nat.toString());

        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");
    }

    @Test
    void aTunnelledServerTheDirectorCannotRouteIsRefusedWithItsReasonAndRolledBack() throws Exception
    {
        // The in-memory transport is no interface of this host's routing table: the director refuses the TUN
        // server, the health monitor had already taken the new list, and the edit is rolled back.
        final Cli tunnel = Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r", "198.18.0.103",
            "-i");

        assertEquals(ExitCodes.FAILURE, tunnel.exitCode(), tunnel.toString());
        assertTrue(tunnel.err().startsWith("jlvs: virtual service TCP 198.18.0.100:80 wrr: TUN real server " +
            "198.18.0.103:80 "), tunnel.toString());
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");
        assertEquals(ExitCodes.OK, Cli.run("add-server", "--control", control, "-t", "198.18.0.100:80", "-r",
            "198.18.0.103").exitCode(), "the monitor takes edits again");
    }

    @Test
    void whatSaveWritesRestoreAppliesAndAReloadRestoresTheFile() throws Exception
    {
        assertEquals(ExitCodes.OK, Cli.run("add-service", "--control", control, "-t", "198.18.0.100:443", "-s",
            "rr", "-p").exitCode());
        assertEquals(ExitCodes.OK, Cli.run("add-server", "--control", control, "-t", "198.18.0.100:443", "-r",
            "198.18.0.101", "-w", "4", "-y", "7").exitCode());
        final Cli save = Cli.run("save", "--control", control, "-n");
        assertEquals(ExitCodes.OK, save.exitCode(), save.toString());
        assertEquals(
            "-A -t 198.18.0.100:80 -s wrr\n" +
            "-a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 3\n" +
            "-a -t 198.18.0.100:80 -r 198.18.0.102:80 -g -w 2\n" +
            "-A -t 198.18.0.100:443 -s rr -p 360\n" +
            "-a -t 198.18.0.100:443 -r 198.18.0.101:443 -g -w 4 -y 7\n", save.out());

        final Path rules = directory.resolve("rules");
        Files.writeString(rules, "-C\n" + save.out());
        final Cli restore = Cli.run("restore", "--control", control, "--from", rules.toString());
        assertEquals(ExitCodes.OK, restore.exitCode(), restore.toString());
        assertEquals(save.out(), Cli.run("save", "--control", control).out());

        assertEquals("reloaded\n", ControlClient.request(path, DirectorControl.RELOAD, TIMEOUT_MS));
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");
    }

    @Test
    void aRestoreWithABadLineChangesNothingAndNamesTheLine() throws Exception
    {
        final Path rules = directory.resolve("rules");
        Files.writeString(rules, "-a -t 198.18.0.100:80 -r 198.18.0.103\n-a -t 198.18.0.100:80 -r 198.18.0.101\n");

        final Cli restore = Cli.run("restore", "--control", control, "--from", rules.toString());

        assertEquals(ExitCodes.FAILURE, restore.exitCode(), restore.toString());
        assertEquals("jlvs: line 2: -a -t 198.18.0.100:80 -r 198.18.0.101: Destination already exists: " +
            "198.18.0.101:80 in TCP 198.18.0.100:80\n", restore.err());
        assertListing(
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");

        Files.writeString(rules, "-A -t 198.18.0.100:8080\n-a -t 198.18.0.100:8080 -r 198.18.0.103 -q\n");
        final Cli syntax = Cli.run("restore", "--control", control, "--from", rules.toString());
        assertEquals(ExitCodes.USAGE, syntax.exitCode(), syntax.toString());
        assertTrue(syntax.err().contains("line 2: -a -t 198.18.0.100:8080 -r 198.18.0.103 -q: invalid option `-q'"),
            syntax.toString());
    }

    @Test
    void zeroCountsFromZeroAgainWhileTheForwardingThreadKeepsCounting() throws Exception
    {
        answerArp("198.18.0.101", 0x02_00_00_00_01_01L);
        answerArp("198.18.0.102", 0x02_00_00_00_01_02L);
        awaitNeighbours();
        syn(40000);
        awaitStats(conns -> conns == 1);

        final Cli zero = Cli.run("zero", "--control", control, "-t", "198.18.0.100:80");
        assertEquals(ExitCodes.OK, zero.exitCode(), zero.toString());
        assertEquals(0, serviceConns());

        syn(40001);
        awaitStats(conns -> conns == 1);
        assertEquals(2, director.table().services().get(0).servers()[0].connections() +
            director.table().services().get(0).servers()[1].connections(), "the dataplane's counters go on");

        final Cli unknown = Cli.run("zero", "--control", control, "-f", "9");
        assertEquals(ExitCodes.FAILURE, unknown.exitCode(), unknown.toString());
        assertEquals("jlvs: No such service: FWM 9\n", unknown.err());
    }

    @Test
    void everyVerbHasItsHelp()
    {
        for (final String verb : List.of("add-service", "edit-service", "delete-service", "add-server",
            "edit-server", "delete-server", "zero", "save", "restore"))
        {
            final Cli help = Cli.run(verb, "--help");
            assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
            assertTrue(help.out().startsWith("Usage: jlvs " + verb), help.toString());
        }
        assertTrue(Cli.run("edit-server", "--help").out().contains("until the next reload"));
    }

    private void assertListing(final String... serviceLines) throws Exception
    {
        final List<String> lines = ControlClient.request(path, "list", TIMEOUT_MS).lines().toList();
        assertEquals(HEADER, lines.subList(0, HEADER.size()));
        assertEquals(String.join("\n", serviceLines), String.join("\n", lines.subList(HEADER.size(), lines.size())));
    }

    private long serviceConns() throws Exception
    {
        final List<String> lines = ControlClient.request(path, "list stats exact", TIMEOUT_MS).lines().toList();
        return Long.parseLong(lines.get(3).trim().split("\\s+")[2]);
    }

    private void awaitStats(final Predicate<Long> matches) throws Exception
    {
        for (int i = 0; i < MAX_POLLS; i++)
        {
            if (matches.test(serviceConns()))
            {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        fail("the service's Conns never matched: " + ControlClient.request(path, "list stats exact", TIMEOUT_MS));
    }

    private void syn(final int clientPort)
    {
        transport.inject(FrameBuilder.tcp().dstMac(DIRECTOR_MAC).src("198.18.0.10", clientPort)
            .dst("198.18.0.100", 80).flags(FrameBuilder.SYN).build(), 0);
    }

    private void answerArp(final String serverAddress, final long serverMac)
    {
        transport.inject(FrameBuilder.arpReply(serverMac, serverAddress, DIRECTOR_MAC, "198.18.0.2"), 0);
    }

    private void awaitNeighbours() throws InterruptedException
    {
        for (int i = 0; i < MAX_POLLS; i++)
        {
            boolean all = true;
            for (final RealServer server : director.table().services().get(0).servers())
            {
                all &= server.isNeighbourReachable();
            }
            if (all)
            {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        fail("the real servers' MACs were not learnt from their ARP replies");
    }

    private static List<MonitoredService> services()
    {
        try
        {
            final DirectorConfig config = KeepalivedConfig.parse(CONF, "keepalived.conf");
            return MonitoredService.pair(config.services(), ConfigMapper.map(config).specs());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
