package io.jlvs.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.net.httpserver.HttpServer;
import io.jlvs.cli.control.ControlClient;
import io.jlvs.dataplane.local.LocalDeliveryPath;
import io.jlvs.lab.KeepAliveClient;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jlvs as operators and the maintainers run it: a process of its own ({@code java ... io.jlvs.cli.Main run}),
 * started with {@code ip netns exec} in the lab's director namespace so that it lives there for its whole life, fed
 * a keepalived.conf file, asked through its control socket, reloaded with SIGHUP and stopped with SIGTERM; real HTTP
 * clients (the lab's, and curl where it is installed) connect to the VIP from the client namespace. Its health checks
 * run from the director namespace because the process lives there.
 */
class RunCommandLabTest
{
    /** Bounds every wait on the running director: it answers in milliseconds; this only stops a broken run. */
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    /** A fresh JVM loads the class path and opens its packet ring before the socket answers: give it longer. */
    private static final long START_WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long POLL_MS = 50;
    private static final long CONTROL_TIMEOUT_MS = 2_000;
    private static final long EXIT_WAIT_SECONDS = 10;

    /** The first scenario's checks: slow enough never to matter while it runs. */
    private static final int DEFAULT_DELAY_LOOP_S = 6;
    private static final String DEFAULT_CHECK = "connect_timeout 3";
    /** wrr 3:2:1 over 60 connections: ten whole cycles of six. */
    private static final int CONNECTIONS = 60;
    /** After the reload the weights are 1:2; 30 and 15 are whole cycles of three. */
    private static final int CONNECTIONS_AFTER_RELOAD = 30;
    private static final int CONNECTIONS_AFTER_BAD_RELOAD = 15;
    /** Every n-th request goes through curl, a real client process, when it is installed. */
    private static final int CURL_EVERY = 5;
    /** Small, so the child's connection table is cheap; printed as ipvsadm's "size=". */
    private static final int CONNECTION_CAPACITY = 4096;

    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final String CURL_MAX_SECONDS = "3";
    private static final List<String> IP_FALLBACKS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    /** The fast checks of the health scenario: keepalived's smallest whole-second loop, one retry. */
    private static final int FAST_DELAY_LOOP_S = 1;
    private static final int FAST_RETRY = 1;
    /**
     * Thread scheduling, a fresh JVM's warm-up and the lab's veth on a loaded 2-core machine: a generous margin on
     * top of what keepalived's rules allow, reached only when checks or their publication are broken.
     */
    private static final long HEALTH_MARGIN_MS = 10_000;
    /** A failure is seen at the next loop and confirmed after {@code retry} more attempts: delay_loop x (retry+1). */
    private static final long DOWN_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(
        TimeUnit.SECONDS.toMillis((long)FAST_DELAY_LOOP_S * (FAST_RETRY + 1)) + HEALTH_MARGIN_MS);
    /** TCP_CHECK brings a server back after one passing attempt, at the next loop. */
    private static final long UP_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(
        TimeUnit.SECONDS.toMillis(FAST_DELAY_LOOP_S) + HEALTH_MARGIN_MS);
    /** rr over three servers: whole cycles. */
    private static final int HEALTH_CONNECTIONS = 30;
    /** Requests on each kept-alive connection after the reload: any reset or wrong server shows in a few. */
    private static final int REQUESTS_AFTER_RELOAD = 5;

    private static final String DIRECTOR_NAME = "director";
    private static final int LOCAL_HTTP_BACKLOG = 64;
    private static final int HTTP_OK = 200;
    /** A refused configuration ends the process before it opens anything: the JVM's start-up is all it takes. */
    private static final long START_WAIT_SECONDS = 20;

    /** SIGHUP's number, the same on every Linux architecture (asm-generic and x86 agree on 1). */
    private static final int SIGHUP = 1;
    /** ipvsadm's real server line {@code "  -> %-28s %-7s %-6d %-10u %-10u"}. */
    private static final int ENDPOINT_WIDTH = 28;
    private static final int FORWARD_WIDTH = 7;
    private static final int WEIGHT_WIDTH = 6;
    private static final int CONNS_WIDTH = 10;
    private static final int ADDRESS_WIDTH = 15;
    private static final String HEAVY = "heavy";
    /** A client sends at least its SYN, its request and its FIN on a connection, each a segment of its own. */
    private static final long MIN_PACKETS_PER_CONNECTION = 3;
    /** An IPv4 header and a TCP header without options, whether or not the count includes the Ethernet header. */
    private static final long MIN_SEGMENT_BYTES = 40;

    /** libc's kill(2): Java signals a process only with SIGTERM and SIGKILL; a reload needs SIGHUP. */
    private interface LibC extends Library
    {
        int kill(int pid, int signal);
    }

    @TempDir
    Path directory;

    private Lab lab;
    private Process jlvs;
    private Path config;
    private Path control;
    private Path stdout;
    private Path stderr;

    @BeforeEach
    void buildLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start();
        config = directory.resolve("keepalived.conf");
        control = directory.resolve("control.sock");
        stdout = directory.resolve("jlvs.out");
        stderr = directory.resolve("jlvs.err");
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        try
        {
            // First: the process's packet socket keeps the director namespace alive, so the lab could not go.
            kill();
        }
        finally
        {
            if (lab != null)
            {
                lab.close();
            }
        }
    }

    @Test
    void forwardsByWeightListsAsIpvsadmReloadsOnSighupKeepsRunningOnABadFileAndStopsOnSigterm() throws Exception
    {
        try
        {
            Files.writeString(config, config(List.of("3", "2", "1")));
            start();
            awaitNeighboursReachable();

            assertEquals(Map.of("rs1", 30, "rs2", 20, "rs3", 10), spread(CONNECTIONS));
            // Every connection ended with the client's FIN: inactive (FIN_WAIT, 120 s), none active.
            awaitListing(List.of(
                serviceLine(),
                serverLine(1, 3, 0, 30),
                serverLine(2, 2, 0, 20),
                serverLine(3, 1, 0, 10)));
            assertStats(List.of(30L, 20L, 10L));
            assertRatesShowTheTraffic();

            Files.writeString(config, config(List.of("1", "2")));
            signal(SIGHUP);
            awaitFile(stdout, text -> text.contains("jlvs: reloaded " + config + ": running 1 virtual service " +
                "with 2 real servers (SIGHUP)"));
            // The servers that stay keep their connections (and counts); rs3 is no longer listed.
            awaitListing(List.of(
                serviceLine(),
                serverLine(1, 1, 0, 30),
                serverLine(2, 2, 0, 20)));
            assertEquals(Map.of("rs1", 10, "rs2", 20), spread(CONNECTIONS_AFTER_RELOAD));
            awaitListing(List.of(
                serviceLine(),
                serverLine(1, 1, 0, 40),
                serverLine(2, 2, 0, 40)));

            final String broken = config(List.of(HEAVY, "2"));
            Files.writeString(config, broken);
            signal(SIGHUP);
            final String error = config + ":" + position(broken, HEAVY) +
                ": expected a weight 0..65535, found '" + HEAVY + "'";
            awaitFile(stderr, text -> text.contains(
                "jlvs: reload failed, the running configuration stays: " + error + "\n"));
            assertTrue(jlvs.isAlive(), "a bad file on reload must not stop the director");
            assertEquals(Map.of("rs1", 5, "rs2", 10), spread(CONNECTIONS_AFTER_BAD_RELOAD));
            awaitListing(List.of(
                serviceLine(),
                serverLine(1, 1, 0, 45),
                serverLine(2, 2, 0, 50)));

            // ProcessHandle.destroy() is SIGTERM on Linux: what systemctl stop sends.
            jlvs.destroy();
            assertTrue(jlvs.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), "still running after SIGTERM");
            assertEquals(ExitCodes.OK, jlvs.exitValue());
            assertTrue(read(stdout).endsWith("jlvs: stopped\n"), read(stdout));
            assertFalse(Files.exists(control, LinkOption.NOFOLLOW_LINKS), "the control socket is removed on stop");
        }
        catch (final Exception | AssertionError ex)
        {
            printProcessOutput();
            throw ex;
        }
    }

    @Test
    void withTheV2RxRingItForwardsByWeightAndListsTheLatencyOfWhatItForwarded() throws Exception
    {
        try
        {
            Files.writeString(config, config(List.of("3", "2", "1")));
            start(null, "--rx-ring", "v2");
            awaitNeighboursReachable();

            assertEquals(Map.of("rs1", 30, "rs2", 20, "rs3", 10), spread(CONNECTIONS));
            awaitListing(List.of(
                serviceLine(),
                serverLine(1, 3, 0, 30),
                serverLine(2, 2, 0, 20),
                serverLine(3, 1, 0, 10)));
            // The sampler reads the histogram every 2 s: wait (bounded) until the forwarded frames show in the Total.
            final List<String> latency = awaitAnswer("list latency exact",
                lines -> lines.stream().anyMatch(RunCommandLabTest::isTotalWithFrames), WAIT_NS);
            assertTrue(latency.stream().anyMatch(RunCommandLabTest::isTotalWithFrames), String.join("\n", latency));
        }
        catch (final Exception | AssertionError ex)
        {
            printProcessOutput();
            throw ex;
        }
    }

    @Test
    void tcpCheckTakesAServerWhoseHttpServerStoppedOutOfSchedulingAndBringsItBackWhenItAnswersAgain() throws Exception
    {
        try
        {
            Files.writeString(config, config(addresses(1, 2, 3), List.of("1", "1", "1"), FAST_DELAY_LOOP_S,
                "connect_timeout 1", "retry " + FAST_RETRY, "delay_before_retry 1"));
            start();
            awaitNeighboursReachable();
            assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), spread(HEALTH_CONNECTIONS));

            lab.stopHttpServer(2);
            final List<String> down = awaitAnswer("list", lines -> endpoints(lines).equals(endpoints(1, 3)),
                DOWN_WAIT_NS);
            assertEquals(endpoints(1, 3), endpoints(down), "rs2 still listed " +
                TimeUnit.NANOSECONDS.toMillis(DOWN_WAIT_NS) + " ms after its HTTP server stopped:\n" +
                String.join("\n", down));
            // What the director runs is what the listing shows: no new connection reaches rs2.
            final Map<String, Integer> withoutRs2 = spread(HEALTH_CONNECTIONS);
            assertEquals(Set.of("rs1", "rs3"), withoutRs2.keySet(), withoutRs2.toString());
            assertEquals(HEALTH_CONNECTIONS, withoutRs2.values().stream().mapToInt(Integer::intValue).sum());

            lab.startHttpServer(2);
            final List<String> back = awaitAnswer("list", lines -> endpoints(lines).equals(endpoints(1, 2, 3)),
                UP_WAIT_NS);
            assertEquals(endpoints(1, 2, 3), endpoints(back), "rs2 not back " +
                TimeUnit.NANOSECONDS.toMillis(UP_WAIT_NS) + " ms after its HTTP server restarted:\n" +
                String.join("\n", back));
            awaitNeighboursReachable();
            final Map<String, Integer> withRs2 = spread(HEALTH_CONNECTIONS);
            assertEquals(Set.of("rs1", "rs2", "rs3"), withRs2.keySet(), withRs2.toString());
            assertTrue(read(stderr).contains("jlvs: healthcheck: "), "the monitor's state changes are logged");
        }
        catch (final Exception | AssertionError ex)
        {
            printProcessOutput();
            throw ex;
        }
    }

    @Test
    void reloadThatRemovesOneServerKeepsTheEstablishedConnectionsOfTheOthers() throws Exception
    {
        final List<KeepAliveClient> clients = new ArrayList<>();
        try
        {
            Files.writeString(config, config(List.of("1", "1", "1")));
            start();
            awaitNeighboursReachable();
            // rr with equal weights: three connections, one on each server.
            final List<String> answeredBy = new ArrayList<>();
            for (int i = 0; i < lab.realServerCount(); i++)
            {
                final KeepAliveClient client = lab.openKeepAlive();
                clients.add(client);
                answeredBy.add(client.get("/").trim());
            }
            assertEquals(Set.of("rs1", "rs2", "rs3"), Set.copyOf(answeredBy), answeredBy.toString());
            final int removed = 3;
            final int removedClient = answeredBy.indexOf(lab.realServerName(removed));

            Files.writeString(config, config(addresses(1, 2), List.of("1", "1"), DEFAULT_DELAY_LOOP_S,
                DEFAULT_CHECK));
            signal(SIGHUP);
            awaitFile(stdout, text -> text.contains("jlvs: reloaded " + config + ": running 1 virtual service " +
                "with 2 real servers (SIGHUP)"));
            final List<String> listing = awaitAnswer("list", lines -> endpoints(lines).equals(endpoints(1, 2)),
                WAIT_NS);
            assertEquals(endpoints(1, 2), endpoints(listing), String.join("\n", listing));

            for (int i = 0; i < clients.size(); i++)
            {
                if (i == removedClient)
                {
                    continue;
                }
                for (int request = 0; request < REQUESTS_AFTER_RELOAD; request++)
                {
                    // A reset or a timeout throws; another server answering would be a broken connection table.
                    assertEquals(answeredBy.get(i), clients.get(i).get("/").trim(),
                        "connection " + i + ", request " + request + " after the reload");
                }
            }
        }
        catch (final Exception | AssertionError ex)
        {
            printProcessOutput();
            throw ex;
        }
        finally
        {
            for (final KeepAliveClient client : clients)
            {
                client.close();
            }
        }
    }

    @Test
    void aRealServerAtTheDirectorsOwnAddressIsServedByTheDirectorHostAndListedAsLocal() throws Exception
    {
        // Skipped where nft is missing, except in CI, where a skipped lab test would hide a broken machine.
        assumeTrue(LocalDeliveryPath.nftAvailable() || "true".equals(System.getenv("CI")),
            "Local forwarding needs nft, which is not on PATH");
        final String ns = lab.directorNamespace();
        final HttpServer local = serveOnDirectorHost();
        try
        {
            Files.writeString(config, config(List.of(lab.realServerAddress(1), lab.directorAddress()),
                List.of("1", "1"), DEFAULT_DELAY_LOOP_S, DEFAULT_CHECK));
            start();
            awaitNeighboursReachable(1);
            final String localLine = "  -> " + pad(LabAddresses.formatIpv4(lab.directorAddress()) + ":80",
                ENDPOINT_WIDTH) + ' ' + pad("Local", FORWARD_WIDTH) + ' ';
            final List<String> listing = awaitAnswer("list",
                lines -> lines.stream().anyMatch(line -> line.startsWith(localLine)), WAIT_NS);
            assertTrue(listing.stream().anyMatch(line -> line.startsWith(localLine)), String.join("\n", listing));
            assertTrue(lab.exec(ns, "nft", "list", "tables").contains("netdev jlvs"),
                "the rule that keeps VIP frames from the host's stack");

            // The host holds the VIP, yet answers only what jlvs hands it: half the connections, not all.
            assertEquals(Map.of(DIRECTOR_NAME, 10, "rs1", 10), spread(20));

            jlvs.destroy();
            assertTrue(jlvs.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), "still running after SIGTERM");
            assertEquals(ExitCodes.OK, jlvs.exitValue());
            assertFalse(lab.exec(ns, "nft", "list", "tables").contains("netdev jlvs"),
                "the rule is removed when jlvs stops");
        }
        catch (final Exception | AssertionError ex)
        {
            printProcessOutput();
            throw ex;
        }
        finally
        {
            local.stop(0);
        }
    }

    @Test
    void aRealServerAtTheDirectorsOwnAddressWithoutNftIsAConfigurationErrorAndNothingStarts() throws Exception
    {
        Files.writeString(config, config(List.of(lab.realServerAddress(1), lab.directorAddress()),
            List.of("1", "1"), DEFAULT_DELAY_LOOP_S, DEFAULT_CHECK));
        // A PATH without nft: what a host without nftables looks like to jlvs.
        start("/nonexistent");

        assertTrue(jlvs.waitFor(START_WAIT_SECONDS, TimeUnit.SECONDS), "still running without nft");
        assertEquals(ExitCodes.USAGE, jlvs.exitValue(), read(stderr));
        final String line = position(Files.readString(config),
            "real_server " + LabAddresses.formatIpv4(lab.directorAddress())).split(":")[0];
        assertTrue(read(stderr).contains("jlvs: " + config + ":" + line + ":1: real_server " +
            LabAddresses.formatIpv4(lab.directorAddress()) + " 80 of virtual_server " +
            LabAddresses.formatIpv4(lab.vip()) + ":80 TCP is this host's own address"), read(stderr));
        assertTrue(read(stderr).contains("needs nft"), read(stderr));
        assertFalse(Files.exists(control, LinkOption.NOFOLLOW_LINKS), "no control socket for a director that " +
            "never started");
    }

    /**
     * The director host as a DR real server, as an operator sets one up: the VIP on lo, ARP for it neither answered
     * nor announced, and an HTTP server answering with {@link #DIRECTOR_NAME}.
     */
    private HttpServer serveOnDirectorHost() throws Exception
    {
        final String ns = lab.directorNamespace();
        lab.exec(ns, "ip", "addr", "add", LabAddresses.formatIpv4(lab.vip()) + "/32", "dev", "lo");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_announce=2");
        final HttpServer server = NetworkNamespace.call(ns,
            () -> HttpServer.create(new InetSocketAddress(Lab.HTTP_PORT), LOCAL_HTTP_BACKLOG));
        server.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            final byte[] body = (DIRECTOR_NAME + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(HTTP_OK, body.length);
            try (OutputStream response = exchange.getResponseBody())
            {
                response.write(body);
            }
        });
        server.start();
        return server;
    }

    /** The keepalived.conf of the scenario: real server n gets {@code weights.get(n - 1)}, written as given. */
    private String config(final List<String> weights)
    {
        final int[] servers = new int[weights.size()];
        for (int n = 1; n <= weights.size(); n++)
        {
            servers[n - 1] = n;
        }
        return config(addresses(servers), weights, DEFAULT_DELAY_LOOP_S, DEFAULT_CHECK);
    }

    /** The addresses of lab real servers {@code n}. */
    private List<Integer> addresses(final int... servers)
    {
        final List<Integer> addresses = new ArrayList<>();
        for (final int n : servers)
        {
            addresses.add(lab.realServerAddress(n));
        }
        return addresses;
    }

    /**
     * A keepalived.conf with one wrr service on the VIP: a real server at {@code servers.get(i)} with weight
     * {@code weights.get(i)}, each with a TCP_CHECK made of {@code checkLines}.
     */
    private String config(
        final List<Integer> servers, final List<String> weights, final int delayLoopSeconds,
        final String... checkLines)
    {
        final StringBuilder text = new StringBuilder();
        text.append("! written by RunCommandLabTest\n");
        text.append("virtual_server ").append(LabAddresses.formatIpv4(lab.vip())).append(" 80 {\n");
        text.append("    delay_loop ").append(delayLoopSeconds).append('\n');
        text.append("    lb_algo wrr\n");
        text.append("    lb_kind DR\n");
        text.append("    protocol TCP\n");
        for (int i = 0; i < servers.size(); i++)
        {
            text.append("    real_server ").append(LabAddresses.formatIpv4(servers.get(i)))
                .append(" 80 {\n");
            text.append("        weight ").append(weights.get(i)).append('\n');
            text.append("        TCP_CHECK {\n");
            for (final String line : checkLines)
            {
                text.append("            ").append(line).append('\n');
            }
            text.append("        }\n");
            text.append("    }\n");
        }
        text.append("}\n");
        return text.toString();
    }

    /** {@code line:column} of the first {@code word} in {@code text}, both 1-based, as the parser reports them. */
    private static String position(final String text, final String word)
    {
        final List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++)
        {
            final int at = lines.get(i).indexOf(word);
            if (at >= 0)
            {
                return (i + 1) + ":" + (at + 1);
            }
        }
        throw new IllegalArgumentException(word + " is not in the text");
    }

    private void start() throws IOException
    {
        start(null);
    }

    /**
     * Starts jlvs with {@code options} after the usual ones; with {@code path}, that is the process's PATH (to hide a
     * tool from it).
     */
    private void start(final String path, final String... options) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            ipCommand(), "netns", "exec", lab.directorNamespace(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "run",
            "--config", config.toString(),
            "--interface", lab.directorInterface(),
            "--control", control.toString(),
            "--connections", Integer.toString(CONNECTION_CAPACITY)));
        command.addAll(List.of(options));
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        if (path != null)
        {
            builder.environment().put("PATH", path);
        }
        jlvs = builder.start();
        // Nothing to say on its stdin; closing it lets a read there see EOF instead of hanging.
        jlvs.getOutputStream().close();
    }

    /** Kills the process if it still runs (it is ours: ip netns exec replaced itself with the JVM). */
    private void kill() throws InterruptedException
    {
        if (jlvs == null)
        {
            return;
        }
        jlvs.descendants().forEach(ProcessHandle::destroyForcibly);
        if (jlvs.isAlive())
        {
            jlvs.destroyForcibly();
        }
        if (!jlvs.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
        {
            System.err.println("jlvs process " + jlvs.pid() + " did not die after SIGKILL");
        }
    }

    private void signal(final int signal)
    {
        final LibC libc = Native.load("c", LibC.class);
        assertEquals(0, libc.kill(Math.toIntExact(jlvs.pid()), signal), "kill(" + jlvs.pid() + ", " + signal + ")");
    }

    /**
     * Waits until the control socket answers and every real server's neighbour entry is REACHABLE with the MAC of
     * that server's interface: before that, the director gives a server no traffic.
     */
    private void awaitNeighboursReachable() throws IOException, InterruptedException
    {
        final int[] all = new int[lab.realServerCount()];
        for (int n = 1; n <= all.length; n++)
        {
            all[n - 1] = n;
        }
        awaitNeighboursReachable(all);
    }

    /** As {@link #awaitNeighboursReachable()}, for lab real servers {@code servers} only (in address order). */
    private void awaitNeighboursReachable(final int... servers) throws IOException, InterruptedException
    {
        final List<String> expected = new ArrayList<>();
        expected.add("Neighbours (interface " + lab.directorInterface() + ")");
        expected.add(pad("Address", ADDRESS_WIDTH) + " MAC" + " ".repeat(15) + "State");
        for (final int n : servers)
        {
            expected.add(pad(LabAddresses.formatIpv4(lab.realServerAddress(n)), ADDRESS_WIDTH) + ' ' +
                lab.interfaceMac(lab.realServerNamespace(n), Lab.HOST_INTERFACE) + " REACHABLE");
        }
        final List<String> last = awaitAnswer("list neighbours", expected::equals, START_WAIT_NS);
        assertEquals(String.join("\n", expected), String.join("\n", last));
    }

    /** A {@code list --latency} Total row that counted frames: {@code Total <seconds> <frames> ...}. */
    private static boolean isTotalWithFrames(final String line)
    {
        final String[] columns = line.trim().split("\\s+");
        return columns.length > 2 && columns[0].equals("Total") && columns[2].matches("[1-9][0-9]*");
    }

    /** Waits until {@code list} shows the header lines and then exactly {@code serviceLines}. */
    private void awaitListing(final List<String> serviceLines) throws IOException, InterruptedException
    {
        final List<String> expected = new ArrayList<>();
        expected.add("IP Virtual Server version 1.2.1 (size=" + CONNECTION_CAPACITY + ")");
        expected.add("Prot LocalAddress:Port Scheduler Flags");
        expected.add("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");
        expected.addAll(serviceLines);
        final List<String> last = awaitAnswer("list", expected::equals, WAIT_NS);
        // Line by line, for a readable failure.
        assertEquals(String.join("\n", expected), String.join("\n", last));
        for (final String line : last.subList(expected.size() - serviceLines.size() + 1, last.size()))
        {
            // What a script cutting ipvsadm's output by whitespace finds.
            final String[] columns = line.trim().split("\\s+");
            assertEquals(6, columns.length, line);
            assertEquals("->", columns[0], line);
            assertEquals("Route", columns[2], line);
        }
    }

    /**
     * {@code list --stats --exact}: each server's Conns is what it was sent, its InPkts and InBytes at least what
     * those connections must have carried, OutPkts and OutBytes 0 (DR replies bypass the director); the service
     * line sums its servers.
     */
    private void assertStats(final List<Long> connectionsPerServer) throws IOException
    {
        final String answer = ControlClient.request(control, "list stats exact", CONTROL_TIMEOUT_MS);
        final List<String> lines = answer.lines().toList();
        assertEquals(3 + 1 + connectionsPerServer.size(), lines.size(), answer);
        assertEquals("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
            lines.get(1), answer);
        assertEquals("  -> RemoteAddress:Port", lines.get(2), answer);
        long connections = 0;
        long packets = 0;
        long bytes = 0;
        for (int n = 1; n <= connectionsPerServer.size(); n++)
        {
            final String line = lines.get(3 + n);
            final String[] columns = line.trim().split("\\s+");
            assertEquals(List.of("->", LabAddresses.formatIpv4(lab.realServerAddress(n)) + ":80"),
                List.of(columns[0], columns[1]), line);
            final long serverConnections = Long.parseLong(columns[2]);
            final long serverPackets = Long.parseLong(columns[3]);
            final long serverBytes = Long.parseLong(columns[5]);
            assertEquals(connectionsPerServer.get(n - 1), serverConnections, line);
            assertTrue(serverPackets >= MIN_PACKETS_PER_CONNECTION * serverConnections, line);
            assertEquals("0", columns[4], line);
            assertTrue(serverBytes >= MIN_SEGMENT_BYTES * serverPackets, line);
            assertEquals("0", columns[6], line);
            connections += serverConnections;
            packets += serverPackets;
            bytes += serverBytes;
        }
        final String service = lines.get(3);
        assertEquals(List.of("TCP", LabAddresses.formatIpv4(lab.vip()) + ":80", Long.toString(connections),
            Long.toString(packets), "0", Long.toString(bytes), "0"), List.of(service.trim().split("\\s+")), service);
    }

    /** The real servers' {@code address:port} of a listing, in listed order. */
    private static Set<String> endpoints(final List<String> lines)
    {
        final Set<String> endpoints = new LinkedHashSet<>();
        for (final String line : lines)
        {
            final String[] columns = line.trim().split("\\s+");
            if (line.startsWith("  -> ") && columns.length > 1 && !columns[1].startsWith("RemoteAddress"))
            {
                endpoints.add(columns[1]);
            }
        }
        return endpoints;
    }

    /** {@code address:80} of lab real servers {@code n}, in the listing's order (by address). */
    private Set<String> endpoints(final int... servers)
    {
        final Set<String> endpoints = new LinkedHashSet<>();
        for (final int n : servers)
        {
            endpoints.add(LabAddresses.formatIpv4(lab.realServerAddress(n)) + ":80");
        }
        return endpoints;
    }

    /**
     * {@code list --rate}: ipvsadm's title, and once the 2-second estimator has sampled the connections just made, a
     * non-zero CPS and InPPS for the service (the rates then decay; their values depend on when the timer ran).
     */
    private void assertRatesShowTheTraffic() throws InterruptedException
    {
        final Predicate<List<String>> ratesUp = lines -> lines.size() > 3 &&
            lines.get(1).equals("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS") &&
            lines.get(2).equals("  -> RemoteAddress:Port") && !"0".equals(column(lines.get(3), 2)) &&
            !"0".equals(column(lines.get(3), 3));
        final List<String> rates = awaitAnswer("list rate", ratesUp, WAIT_NS);
        assertTrue(ratesUp.test(rates), String.join("\n", rates));
        assertEquals(List.of("TCP", LabAddresses.formatIpv4(lab.vip()) + ":80"),
            List.of(column(rates.get(3), 0), column(rates.get(3), 1)));
        assertEquals("0", column(rates.get(3), 4), "OutPPS: DR replies bypass the director");
    }

    private static String column(final String line, final int index)
    {
        final String[] columns = line.trim().split("\\s+");
        return index < columns.length ? columns[index] : "";
    }

    private String serviceLine()
    {
        return "TCP  " + LabAddresses.formatIpv4(lab.vip()) + ":80 wrr";
    }

    /** ipvsadm pads every column, the last one too. */
    private String serverLine(final int n, final int weight, final int active, final int inactive)
    {
        return "  -> " + pad(LabAddresses.formatIpv4(lab.realServerAddress(n)) + ":80", ENDPOINT_WIDTH) + ' ' +
            pad("Route", FORWARD_WIDTH) + ' ' + pad(Integer.toString(weight), WEIGHT_WIDTH) + ' ' +
            pad(Integer.toString(active), CONNS_WIDTH) + ' ' + pad(Integer.toString(inactive), CONNS_WIDTH);
    }

    private static String pad(final String text, final int width)
    {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    /**
     * Asks {@code request} until the answer's lines match, the process dies or the time is up; returns the last
     * answer (empty when the socket never answered).
     */
    private List<String> awaitAnswer(final String request, final Predicate<List<String>> matches, final long waitNs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + waitNs;
        List<String> last = List.of();
        while (System.nanoTime() - deadline < 0)
        {
            assertTrue(jlvs.isAlive(), () -> "jlvs exited with " + jlvs.exitValue());
            try
            {
                last = ControlClient.request(control, request, CONTROL_TIMEOUT_MS).lines().toList();
                if (matches.test(last))
                {
                    return last;
                }
            }
            catch (final IOException notYet)
            {
                // The socket is not bound yet (the JVM is starting) or the director is busy: ask again.
            }
            Thread.sleep(POLL_MS);
        }
        return last;
    }

    private void awaitFile(final Path file, final Predicate<String> matches) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (System.nanoTime() - deadline < 0)
        {
            if (matches.test(read(file)))
            {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        fail("not found in " + file + " in time:\n" + read(file));
    }

    /**
     * New connections from the client, one request each, and how many each real server answered. Every
     * {@link #CURL_EVERY}-th goes through {@code curl} in the client namespace when it is installed, as the
     * maintainers test; the rest through the lab's own client.
     */
    private Map<String, Integer> spread(final int connections) throws IOException
    {
        final boolean curl = Files.isExecutable(CURL);
        final String url = "http://" + LabAddresses.formatIpv4(lab.vip()) + "/";
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < connections; i++)
        {
            final String body = curl && i % CURL_EVERY == 0 ?
                lab.exec(lab.clientNamespace(), CURL.toString(), "-sS", "--max-time", CURL_MAX_SECONDS,
                    "--noproxy", "*", url) :
                lab.httpGet("/");
            perServer.merge(body.trim(), 1, Integer::sum);
        }
        return perServer;
    }

    private static String read(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private void printProcessOutput()
    {
        try
        {
            System.out.println("--- jlvs stdout (" + stdout + ")\n" + read(stdout) + "--- jlvs stderr (" + stderr +
                ")\n" + read(stderr) + "---");
        }
        catch (final IOException ex)
        {
            System.out.println("cannot read the jlvs output: " + ex);
        }
    }

    /** iproute2's {@code ip}: on PATH, or where Debian and others install it when PATH leaves out sbin. */
    private static String ipCommand()
    {
        final List<String> candidates = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(":"))
            {
                if (!dir.isEmpty())
                {
                    candidates.add(dir + "/ip");
                }
            }
        }
        candidates.addAll(IP_FALLBACKS);
        for (final String candidate : candidates)
        {
            if (Files.isRegularFile(Path.of(candidate)) && Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("iproute2's 'ip' not found on PATH nor in " + IP_FALLBACKS);
    }
}
