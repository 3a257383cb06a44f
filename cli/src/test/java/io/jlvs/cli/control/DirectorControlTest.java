package io.jlvs.cli.control;

import io.jlvs.cli.listing.LatencyStatistics;
import io.jlvs.cli.listing.ServerStatistics;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The control protocol end to end: a real director on an in-memory transport, served on a real Unix socket. */
class DirectorControlTest
{
    private static final long TIMEOUT_MS = 5_000;
    /** A frame travels capture -> ring -> forwarding in microseconds; this only bounds a broken pipeline. */
    private static final int MAX_POLLS = 500;
    private static final long POLL_MS = 10;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final int CAPACITY = 4096;
    /** {@code ->}, the endpoint, Conns, InPkts, OutPkts, InBytes, OutBytes. */
    private static final int STATS_LINE_COLUMNS = 7;
    /** Window, Seconds, Frames, P50, P90, P99, P99.9, Max. */
    private static final int LATENCY_LINE_COLUMNS = 8;

    @TempDir
    Path directory;

    private MemoryTransport transport;
    private Director director;
    private ControlServer server;
    private Path path;

    @BeforeEach
    void startDirector() throws IOException
    {
        transport = MemoryTransport.builder().macAddress(DIRECTOR_MAC).ipv4Address(Ipv4.parse("198.18.0.2")).build();
        director = new Director(transport, DirectorOptions.defaults().withConnectionCapacity(CAPACITY));
        director.apply(List.of(VirtualServiceSpec.of(VirtualServiceSpec.TCP, Ipv4.parse("198.18.0.100"), 80, "wrr",
            List.of(RealServerSpec.route(Ipv4.parse("198.18.0.102"), 80, 2),
                RealServerSpec.route(Ipv4.parse("198.18.0.101"), 80, 3)))));
        director.start();
        path = directory.resolve("control.sock");
        server = ControlServer.start(path, new DirectorControl(director, () -> "reloaded", TIMEOUT_MS));
    }

    @AfterEach
    void stopDirector()
    {
        server.close();
        director.close();
    }

    @Test
    void listAnswersWithTheIpvsadmListingOfTheRunningServices() throws IOException
    {
        final String answer = ControlClient.request(path, "list", TIMEOUT_MS);

        assertEquals(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  198.18.0.100:80 wrr",
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         "),
            answer.lines().toList());
    }

    @Test
    void listConnectionsReadsTheTableOnTheForwardingThread() throws Exception
    {
        // The director schedules only servers whose MAC it knows: answer its ARP requests first.
        answerArp("198.18.0.101", 0x02_00_00_00_01_01L);
        answerArp("198.18.0.102", 0x02_00_00_00_01_02L);
        awaitNeighbours();
        transport.inject(FrameBuilder.tcp().dstMac(DIRECTOR_MAC).src("198.18.0.10", 40000)
            .dst("198.18.0.100", 80).flags(FrameBuilder.SYN).build(), 0);

        final String row = awaitLine("list connections", line -> line.contains("198.18.0.10:40000"));

        final String[] columns = row.trim().split("\\s+");
        assertEquals("TCP", columns[0]);
        assertTrue(columns[1].matches("\\d\\d:\\d\\d"), row);
        assertEquals("SYN_RECV", columns[2]);
        assertEquals("198.18.0.10:40000", columns[3]);
        assertEquals("198.18.0.100:80", columns[4]);
        assertTrue(columns[5].equals("198.18.0.101:80") || columns[5].equals("198.18.0.102:80"), row);
    }

    @Test
    void listStatsShowsTheConnectionAndTheFrameForwardedToTheChosenServer() throws Exception
    {
        answerArp("198.18.0.101", 0x02_00_00_00_01_01L);
        answerArp("198.18.0.102", 0x02_00_00_00_01_02L);
        awaitNeighbours();
        transport.inject(FrameBuilder.tcp().dstMac(DIRECTOR_MAC).src("198.18.0.10", 40001)
            .dst("198.18.0.100", 80).flags(FrameBuilder.SYN).build(), 0);

        // Conns, InPkts and InBytes are written one after the other: wait until all three show the frame.
        final String row = awaitLine("list stats exact", DirectorControlTest::serverStatsShowAFrame);

        // -> endpoint Conns InPkts OutPkts InBytes OutBytes; in DR replies bypass the director: Out* stay 0.
        final String[] columns = row.trim().split("\\s+");
        RealServer chosen = null;
        for (final RealServer server : director.table().services().get(0).servers())
        {
            if (columns[1].equals(Ipv4.toString(server.address()) + ":" + server.port()))
            {
                chosen = server;
            }
        }
        assertTrue(chosen != null, row);
        assertEquals("1", columns[2], row);
        assertEquals("1", columns[3], row);
        assertEquals("0", columns[4], row);
        assertTrue(chosen.inBytes() > 0, row);
        assertEquals(Long.toString(chosen.inBytes()), columns[5], row);
        assertEquals("0", columns[6], row);
        final List<String> lines = ControlClient.request(path, "list stats exact", TIMEOUT_MS).lines().toList();
        final String[] service = lines.get(3).trim().split("\\s+");
        assertEquals(List.of("TCP", "198.18.0.100:80", "1", "1", "0", Long.toString(chosen.inBytes()), "0"),
            List.of(service), lines.get(3));
    }

    @Test
    void persistenceTemplatesAreListedAsIpvsadmListsThemWithSourcePortZeroStateNoneAndPersistConn()
        throws Exception
    {
        // UDP, where the connection's own state is UDP: the template's is still NONE, as IPVS lists templates.
        director.apply(List.of(new VirtualServiceSpec(VirtualServiceSpec.UDP,
            List.of(new VirtualAddress(Ipv4.parse("198.18.0.100"), 53)), 0, "rr", SchedulerFlags.NONE, 300,
            VirtualServiceSpec.HOST_NETMASK, List.of(RealServerSpec.route(Ipv4.parse("198.18.0.101"), 53, 1),
                RealServerSpec.route(Ipv4.parse("198.18.0.102"), 53, 1)))));
        answerArp("198.18.0.101", 0x02_00_00_00_01_01L);
        answerArp("198.18.0.102", 0x02_00_00_00_01_02L);
        awaitNeighbours();
        transport.inject(FrameBuilder.udp().dstMac(DIRECTOR_MAC).src("198.18.0.10", 40002)
            .dst("198.18.0.100", 53).payload(new byte[] {1}).build(), 0);

        final String template = awaitLine("list connections", line -> line.contains(" 198.18.0.10:0 "));

        final String[] columns = template.trim().split("\\s+");
        assertEquals(List.of("UDP", "NONE", "198.18.0.10:0", "198.18.0.100:53"),
            List.of(columns[0], columns[2], columns[3], columns[4]), template);
        final String server = columns[5];
        final String connection = awaitLine("list connections", line -> line.contains(" 198.18.0.10:40002 "));
        final String[] entry = connection.trim().split("\\s+");
        assertEquals(List.of("UDP", "UDP", "198.18.0.10:40002", "198.18.0.100:53", server),
            List.of(entry[0], entry[2], entry[3], entry[4], entry[5]), connection);
        // --persistent-conn: the chosen server holds the one template (PersistConn), the other none.
        final List<String> persistent = ControlClient.request(path, "list persistent-conn", TIMEOUT_MS)
            .lines().toList();
        assertEquals("UDP  198.18.0.100:53 rr persistent 300", persistent.get(3), String.join("\n", persistent));
        for (final String line : persistent.subList(4, persistent.size()))
        {
            final String[] row = line.trim().split("\\s+");
            assertEquals(row[1].equals(server) ? "1" : "0", row[3], line);
        }
        final List<String> withPe = ControlClient.request(path, "list persistent-conn connections", TIMEOUT_MS)
            .lines().toList();
        assertEquals("pro expire state       source             virtual            destination        pe name" +
            "          pe_data", withPe.get(1));
    }

    @Test
    void listCountersShowsTheDataplaneCountersByName() throws Exception
    {
        transport.inject(new byte[] {1, 2, 3}, 0);

        final String truncated = awaitLine("list counters",
            line -> line.trim().startsWith("DROP_TRUNCATED ") && !"0".equals(line.trim().split("\\s+")[1]));

        assertEquals("1", truncated.trim().split("\\s+")[1], truncated);
        final String answer = ControlClient.request(path, "list counters", TIMEOUT_MS);
        assertTrue(answer.contains("Drops by reason\n"), answer);
        assertTrue(answer.lines().anyMatch(line -> line.trim().startsWith("RX_FRAMES ")), answer);
    }

    @Test
    void listNeighboursShowsEachRealServerWithTheMacLearntFromItsArpReply() throws Exception
    {
        answerArp("198.18.0.101", 0x02_00_00_00_01_01L);

        final String reachable = awaitLine("list neighbours",
            line -> line.startsWith("198.18.0.101 ") && line.endsWith(" REACHABLE"));

        assertEquals("198.18.0.101    02:00:00:00:01:01 REACHABLE", reachable);
        final List<String> lines = ControlClient.request(path, "list neighbours", TIMEOUT_MS).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals("Neighbours (interface " + transport.interfaceName() + ")", lines.get(0));
        assertEquals("Address         MAC               State", lines.get(1));
        assertEquals(reachable, lines.get(2));
        // Nobody answers for .102: still being asked for, or given up on; either way no MAC.
        assertTrue(lines.get(3).equals("198.18.0.102    -                 INCOMPLETE") ||
            lines.get(3).equals("198.18.0.102    -                 FAILED"), lines.get(3));
    }

    @Test
    void listTimeoutShowsIpvsDefaults() throws IOException
    {
        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", ControlClient.request(path, "list timeout", TIMEOUT_MS));
    }

    @Test
    void listLatencyShowsTheForwardedFramesOnceSampledAndZeroOfEveryServiceStartsItAgain() throws Exception
    {
        // Sampled here, on a fake clock, instead of on run's timer: one sample per step of SAMPLE_INTERVAL_NS.
        final LatencyStatistics latency = new LatencyStatistics(director.latency(), 0);
        final Path latencyPath = directory.resolve("latency.sock");
        try (ControlServer latencyServer = ControlServer.start(latencyPath,
            new DirectorControl(director, null, null, new ServerStatistics(), latency, TIMEOUT_MS)))
        {
            assertEquals("Forwarding latency, RX to TX flush (microseconds)\n" +
                "Not sampled yet: jlvs run samples it every 2 seconds.\n",
                ControlClient.request(latencyPath, "list latency", TIMEOUT_MS));
            answerArp("198.18.0.101", 0x02_00_00_00_01_01L);
            answerArp("198.18.0.102", 0x02_00_00_00_01_02L);
            awaitNeighbours();
            transport.inject(FrameBuilder.tcp().dstMac(DIRECTOR_MAC).src("198.18.0.10", 40003)
                .dst("198.18.0.100", 80).flags(FrameBuilder.SYN).build(), 0);

            // The forwarding thread records once its batch is flushed: sample until the frame is in.
            long nowNs = 0;
            for (int i = 0; i < MAX_POLLS && latency.latency().total().frames() == 0; i++)
            {
                nowNs += LatencyStatistics.SAMPLE_INTERVAL_NS;
                latency.sample(nowNs);
                Thread.sleep(POLL_MS);
            }

            final List<String> lines = ControlClient.request(latencyPath, "list latency exact", TIMEOUT_MS)
                .lines().toList();
            final String text = String.join("\n", lines);
            assertEquals(4, lines.size(), text);
            assertEquals("Forwarding latency, RX to TX flush (nanoseconds)", lines.get(0));
            assertEquals(List.of("Window", "Seconds", "Frames", "P50", "P90", "P99", "P99.9", "Max"),
                List.of(lines.get(1).trim().split("\\s+")));
            final String[] total = lines.get(3).trim().split("\\s+");
            assertEquals(LATENCY_LINE_COLUMNS, total.length, text);
            assertEquals("Total", total[0], text);
            assertTrue(Long.parseLong(total[2]) >= 1, "the SYN was forwarded and counted\n" + text);
            // Percentiles never decrease, and the slowest frame bounds them all.
            for (int column = 4; column < LATENCY_LINE_COLUMNS; column++)
            {
                assertTrue(Long.parseLong(total[column - 1]) <= Long.parseLong(total[column]), text);
            }

            // ipvsadm -Z of one service leaves the director's latency; of every service, it starts again.
            assertEquals("", ControlClient.request(latencyPath, "ipvsadm -Z -t 198.18.0.100:80", TIMEOUT_MS));
            assertEquals(lines.get(3),
                ControlClient.request(latencyPath, "list latency exact", TIMEOUT_MS).lines().toList().get(3));
            assertEquals("", ControlClient.request(latencyPath, "ipvsadm -Z", TIMEOUT_MS));
            assertEquals("Forwarding latency, RX to TX flush (microseconds)\n" +
                "No frames forwarded since the counters were zeroed.\n",
                ControlClient.request(latencyPath, "list latency", TIMEOUT_MS));
        }
    }

    @Test
    void aDirectorControlWhoseLatencyNobodySamplesSaysSo() throws IOException
    {
        assertEquals("Forwarding latency, RX to TX flush (microseconds)\n" +
            "Not sampled yet: jlvs run samples it every 2 seconds.\n",
            ControlClient.request(path, "list latency", TIMEOUT_MS));
    }

    @Test
    void reloadRunsTheSuppliedReload() throws IOException
    {
        assertEquals("reloaded\n", ControlClient.request(path, "reload", TIMEOUT_MS));
    }

    @Test
    void unknownRequestsAndOptionsGetAnErrorLine() throws IOException
    {
        assertTrue(ControlClient.request(path, "flush everything", TIMEOUT_MS)
            .startsWith("error: unknown request 'flush everything'"));
        assertTrue(ControlClient.request(path, "list sideways", TIMEOUT_MS)
            .startsWith("error: unknown list option 'sideways'"));
        assertTrue(ControlClient.request(path, "", TIMEOUT_MS).startsWith("error: unknown request ''"));
    }

    /** A {@code --stats} server line whose Conns, InPkts and InBytes are all non-zero. */
    private static boolean serverStatsShowAFrame(final String line)
    {
        final String[] columns = line.trim().split("\\s+");
        // The header's "  -> RemoteAddress:Port" has no numbers.
        return line.startsWith("  -> ") && columns.length == STATS_LINE_COLUMNS && !"0".equals(columns[2]) &&
            !"0".equals(columns[3]) && !"0".equals(columns[5]);
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

    /** Asks until a line of the answer matches (a frame reaches the table and counters asynchronously). */
    private String awaitLine(final String request, final Predicate<String> matches)
        throws IOException, InterruptedException
    {
        String answer = "";
        for (int i = 0; i < MAX_POLLS; i++)
        {
            answer = ControlClient.request(path, request, TIMEOUT_MS);
            for (final String line : answer.lines().toList())
            {
                if (matches.test(line))
                {
                    return line;
                }
            }
            Thread.sleep(POLL_MS);
        }
        return fail("no matching line after " + MAX_POLLS + " polls:\n" + answer +
            ControlClient.request(path, "list counters", TIMEOUT_MS));
    }
}
