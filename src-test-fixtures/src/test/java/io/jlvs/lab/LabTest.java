package io.jlvs.lab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab on a real kernel (root only): it builds what the issue describes, its servers answer as DR real servers,
 * and it leaves nothing behind, on failure too. One shared lab for the read-only checks keeps the suite fast; the
 * tests that change a lab build their own.
 */
class LabTest
{
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    /** Bounds the wait for an ARP answer (microseconds on a veth bridge); only a broken lab reaches it. */
    private static final long ARP_WAIT_NS = 3_000_000_000L;
    private static final long ARP_POLL_MS = 10;

    private static Lab shared;

    @BeforeAll
    static void startSharedLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        shared = Lab.start(LabSpec.builder().clientCount(2).build());
    }

    @AfterAll
    static void closeSharedLab()
    {
        if (shared != null)
        {
            shared.close();
        }
    }

    @Test
    void aSocketOpenedByMistakeInTheHostsNamespaceCannotReachTheLabRange() throws Exception
    {
        final String guard = Commands.ip("route", "show", "type", "blackhole", HostGuard.LAB_RANGE);
        org.junit.jupiter.api.Assumptions.assumeTrue(guard.contains(HostGuard.LAB_RANGE),
            "the host refused the guard route; without it this test would send a SYN out of the machine");
        // Created and connected on the test thread, which is in the host's namespace, not the lab's.
        try (java.net.Socket socket = new java.net.Socket())
        {
            final java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> socket.connect(new java.net.InetSocketAddress(
                    java.net.InetAddress.getByName(LabAddresses.formatIpv4(shared.realServerAddress(1))), Lab.HTTP_PORT),
                    1_000));
            org.junit.jupiter.api.Assertions.assertFalse(refused instanceof java.net.SocketTimeoutException,
                "refused at once by the blackhole route, not timed out on the wire: " + refused);
        }
    }

    @Test
    void buildsEveryNamespaceUnderItsPrefixAndDeletesThemAllOnClose() throws IOException
    {
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(2).build());
        final List<String> expected;
        try
        {
            expected = lab.namespaces();
            assertEquals(List.of(lab.prefix() + "-br", lab.prefix() + "-cl", lab.prefix() + "-dir",
                lab.prefix() + "-pr", lab.prefix() + "-rs1", lab.prefix() + "-rs2"), expected);
            assertTrue(lab.prefix().matches("jl[0-9a-f]{6}"), lab.prefix());
            final String listed = Commands.ip("netns", "list");
            for (final String name : expected)
            {
                assertTrue(listed.contains(name), name + " missing from:\n" + listed);
            }
            assertTrue(Files.exists(LabRegistry.pidFile(lab.prefix())), "the lab's claim is written");
        }
        finally
        {
            lab.close();
        }
        assertNoNamespaceWithPrefix(lab.prefix());
        assertFalse(Files.exists(LabRegistry.pidFile(lab.prefix())), "the claim is dropped on close");
        lab.close();
    }

    @Test
    void eachRealServerAnswersHttpWithItsNameOnItsOwnAddress() throws IOException
    {
        for (int n = 1; n <= shared.realServerCount(); n++)
        {
            assertEquals(shared.realServerName(n) + "\n", shared.httpGet(shared.realServerAddress(n), "/"));
        }
    }

    @Test
    void secondClientReachesTheRealServersFromItsOwnAddress() throws IOException
    {
        final ClientHost second = shared.client(2);
        assertEquals(LabAddresses.parseIpv4("198.18.0.20"), second.address());
        assertEquals("rs3\n", second.httpGet(shared.realServerAddress(3), "/from-second-client"));
    }

    @Test
    void keepAliveConnectionCarriesManyRequests() throws IOException
    {
        try (KeepAliveClient connection = shared.client().openKeepAlive(shared.realServerAddress(2)))
        {
            for (int i = 0; i < 10; i++)
            {
                assertEquals("rs2\n", connection.get("/request-" + i));
            }
        }
    }

    @Test
    void realServerAnswersADownloadOfTheAskedLengthWithItsPattern() throws IOException
    {
        final int rs1 = shared.realServerAddress(1);
        assertEquals(0, shared.client().httpGetBytes(rs1, "/bytes/0").length);
        final byte[] body = shared.client().httpGetBytes(rs1, "/bytes/200001");
        assertEquals(200_001, body.length);
        for (int i = 0; i < body.length; i++)
        {
            if (body[i] != (byte)i)
            {
                throw new AssertionError("byte " + i + " is " + body[i]);
            }
        }
        final IOException tooBig = assertThrows(IOException.class,
            () -> shared.client().httpGetBytes(rs1, "/bytes/" + (RealServerHost.MAX_DOWNLOAD_BYTES + 1)));
        assertTrue(tooBig.getMessage().contains("HTTP 400"), tooBig.getMessage());
        assertThrows(IOException.class, () -> shared.client().httpGetBytes(rs1, "/bytes/lots"));
        assertEquals("rs1\n", shared.httpGet(rs1, "/bytes"), "only /bytes/N downloads");
    }

    @Test
    void realServerCountsWhatAnUploadDelivered() throws IOException
    {
        assertEquals("rs2 1000000\n", shared.client().httpPost(shared.realServerAddress(2), "/received", 1_000_000));
        assertEquals("rs2 0\n", shared.client().httpPost(shared.realServerAddress(2), "/received", 0));
        assertEquals("rs2 100000\n",
            shared.client().httpPost(shared.realServerAddress(2), "/received", 100_000, 1448));
        assertEquals("rs2\n", shared.client().httpPost(shared.realServerAddress(2), "/upload", 70_000),
            "any other path answers the name, as before");
    }

    @Test
    void eachRealServerAnswersUdpWithItsNameOnItsOwnAddress() throws IOException
    {
        for (int n = 1; n <= shared.realServerCount(); n++)
        {
            assertEquals(shared.realServerName(n), shared.client().udpRequest(shared.realServerAddress(n), PING));
        }
    }

    @Test
    void realServersHoldTheVipOnLoopbackAndIgnoreArpForIt() throws IOException
    {
        final String vip = LabAddresses.formatIpv4(shared.vip());
        for (int n = 1; n <= shared.realServerCount(); n++)
        {
            final String ns = shared.realServerNamespace(n);
            assertTrue(shared.exec(ns, "ip", "-o", "addr", "show", "dev", "lo").contains(vip + "/32"));
            for (final String scope : List.of("all", "eth0", "lo"))
            {
                assertEquals("1", sysctl(ns, "net.ipv4.conf." + scope + ".arp_ignore"), ns + " " + scope);
                assertEquals("2", sysctl(ns, "net.ipv4.conf." + scope + ".arp_announce"), ns + " " + scope);
            }
        }
    }

    @Test
    void directorHasNoVipNoForwardingAndNoHostHasADefaultRoute() throws IOException
    {
        final String director = shared.directorNamespace();
        final String addresses = shared.exec(director, "ip", "-o", "addr", "show");
        assertFalse(addresses.contains(LabAddresses.formatIpv4(shared.vip())), addresses);
        assertTrue(addresses.contains("eth0    inet 198.18.0.2/24"), addresses);
        assertTrue(addresses.contains("eth1    inet 198.19.0.2/24"), addresses);
        assertEquals("0", sysctl(director, "net.ipv4.ip_forward"));
        for (final String ns : shared.namespaces())
        {
            assertEquals("", shared.exec(ns, "ip", "route", "show", "default"), ns);
            assertEquals("", shared.exec(ns, "ip", "-6", "addr", "show"), ns + " has IPv6 addresses");
        }
    }

    @Test
    void nobodyAnswersArpForTheVipUntilADirectorDoes() throws Exception
    {
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(2).build());
        try
        {
            // the VIP's request goes first; once a real server's own address has been answered, an answer for the
            // VIP would have arrived too
            lab.client().udpSend(lab.vip(), Lab.UDP_PORT, PING);
            lab.client().udpSend(lab.realServerAddress(1), Lab.UDP_PORT, PING);
            assertEquals(lab.interfaceMac(lab.realServerNamespace(1), "eth0"),
                awaitNeighbour(lab.client(), lab.realServerAddress(1)), "ARP for a real server's own address works");
            assertNull(lab.clientNeighbourMac(lab.vip()), "a real server answered ARP for the VIP");
        }
        finally
        {
            lab.close();
        }
    }

    @Test
    void realServerAnswersForTheVipWhenTheFrameCarriesItsMac() throws IOException
    {
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(2).build());
        try
        {
            // what the director does, done by hand: frames for the VIP go to rs2's MAC
            final String rs2Mac = lab.interfaceMac(lab.realServerNamespace(2), "eth0");
            lab.exec(lab.clientNamespace(), "ip", "neigh", "replace", LabAddresses.formatIpv4(lab.vip()),
                "lladdr", rs2Mac, "dev", "eth0", "nud", "permanent");
            assertEquals("rs2\n", lab.httpGet("/"));
            // a connected socket: accepted only because rs2 answers from the VIP, as a DR client needs
            assertEquals("rs2", lab.udpRequest(PING));
            try (KeepAliveClient connection = lab.openKeepAlive())
            {
                assertEquals("rs2\n", connection.get("/a"));
                assertEquals("rs2\n", connection.get("/b"));
            }
        }
        finally
        {
            lab.close();
        }
    }

    @Test
    void probeLinkReachesTheDirectorsSecondInterface() throws Exception
    {
        final ClientHost probe = shared.probe();
        probe.udpSend(shared.directorAddress(), Lab.UDP_PORT, PING);
        assertEquals(shared.interfaceMac(shared.directorNamespace(), shared.directorSecondInterface()),
            awaitNeighbour(probe, shared.directorAddress()));
    }

    @Test
    void stoppedHttpServerRefusesConnectionsAndAnswersAgainWhenRestarted() throws IOException
    {
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(2).withProbe(false).build());
        try
        {
            lab.stopHttpServer(1);
            assertFalse(lab.httpServerRunning(1));
            final IOException refused = assertThrows(IOException.class,
                () -> lab.httpGet(lab.realServerAddress(1), "/"));
            assertTrue(refused.getCause() instanceof ConnectException, refused.toString());
            assertEquals("rs2\n", lab.httpGet(lab.realServerAddress(2), "/"), "the other server is untouched");
            assertEquals("rs1", lab.client().udpRequest(lab.realServerAddress(1), PING), "UDP is untouched");

            lab.startHttpServer(1);
            assertEquals("rs1\n", lab.httpGet(lab.realServerAddress(1), "/"));
        }
        finally
        {
            lab.close();
        }
    }

    @Test
    void failureDuringBuildLeavesNothingBehind()
    {
        // accepted by the spec, rejected by the kernel, and applied last: everything else is built when it fails
        final LabSpec impossible = LabSpec.builder().realServerCount(2).sysctl("net.ipv4.no_such_setting", "1")
            .build();
        final LabBuildException failure = assertThrows(LabBuildException.class, () -> Lab.start(impossible));
        assertTrue(failure.getMessage().contains("net.ipv4.no_such_setting"), failure.getMessage());
        assertNoNamespaceWithPrefix(failure.prefix());
        assertFalse(Files.exists(LabRegistry.pidFile(failure.prefix())), "the claim is dropped");
    }

    @Test
    void sweepDeletesNamespacesOfADeadOwnerAndKeepsALiveOnes() throws Exception
    {
        final String dead = "jl" + "dead" + String.format("%02x", (int)(ProcessHandle.current().pid() & 0xFF));
        final String alive = "jl" + "a11e" + String.format("%02x", (int)(ProcessHandle.current().pid() & 0xFF));
        final Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        try
        {
            Files.createDirectories(LabRegistry.RUN_DIR);
            Files.writeString(LabRegistry.pidFile(dead), LabRegistry.ownerRecord(finished.toHandle()));
            Files.writeString(LabRegistry.pidFile(alive), LabRegistry.ownerRecord(ProcessHandle.current()));
            Commands.ipBatch(null, List.of("netns add " + dead + "-br", "netns add " + dead + "-cl",
                "netns add " + alive + "-br"));

            final List<String> swept = Lab.sweepStale();

            // another JVM's Lab.start may sweep them first; either way they must be gone
            System.out.println("swept " + swept);
            assertFalse(swept.contains(alive + "-br"), swept.toString());
            assertNoNamespaceWithPrefix(dead);
            assertFalse(Files.exists(LabRegistry.pidFile(dead)));
            assertEquals(List.of(alive + "-br"), LabRegistry.namespacesOf(alive));
        }
        finally
        {
            LabRegistry.deleteNamespaces(LabRegistry.namespacesOf(dead));
            LabRegistry.deleteNamespaces(LabRegistry.namespacesOf(alive));
            LabRegistry.release(dead);
            LabRegistry.release(alive);
        }
    }

    private static String awaitNeighbour(final ClientHost host, final int address) throws Exception
    {
        final long deadline = System.nanoTime() + ARP_WAIT_NS;
        String mac = host.neighbourMac(address);
        while (mac == null && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(ARP_POLL_MS);
            mac = host.neighbourMac(address);
        }
        return mac;
    }

    private static String sysctl(final String namespace, final String key) throws IOException
    {
        return shared.exec(namespace, "sysctl", "-n", key).trim();
    }

    private static void assertNoNamespaceWithPrefix(final String prefix)
    {
        try
        {
            final String listed = Commands.ip("netns", "list");
            assertFalse(listed.contains(prefix + "-"), "left behind:\n" + listed);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void labHandsOutAddressesFromItsPlan()
    {
        assertNotNull(shared);
        assertEquals(LabAddresses.parseIpv4("198.18.0.2"), shared.directorAddress());
        assertEquals(LabAddresses.parseIpv4("198.18.0.10"), shared.clientAddress());
        assertEquals(LabAddresses.parseIpv4("198.18.0.100"), shared.vip());
        assertEquals(LabAddresses.parseIpv4("198.18.0.101"), shared.realServerAddress(1));
        assertEquals(LabAddresses.parseIpv4("198.18.0.103"), shared.realServerAddress(3));
        assertEquals("eth0", shared.directorInterface());
        assertEquals("eth1", shared.directorSecondInterface());
        assertEquals(shared.prefix() + "-rs2", shared.realServerNamespace(2));
        assertEquals(shared.prefix() + "-cl2", shared.client(2).namespace());
    }
}
