package io.jlvs.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's router (root only): plain IP from the segment reaches the real servers on the routed segment through it,
 * they answer through it, and a narrow router link makes both ends learn the smaller path MTU from the router's
 * ICMP while their own links stay wide. Everything goes, router included, when the lab closes.
 */
class RoutedLabTest
{
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final int NARROW_MTU = 1400;
    /** Large enough that full-sized segments are sent both ways many times over. */
    private static final int TRANSFER_BYTES = 1_000_000;
    private static final Pattern ROUTE_MTU = Pattern.compile("\\bmtu (\\d+)");

    @Test
    void routedRealServersAnswerTheClientThroughTheRouter() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(1).withProbe(false).withRouter(true)
            .routedRealServerCount(2).build());
        try
        {
            final String p = lab.prefix();
            assertEquals(List.of(p + "-br", p + "-cl", p + "-dir", p + "-rs1", p + "-rt", p + "-rr1", p + "-rr2"),
                lab.namespaces());
            assertEquals(p + "-rt", lab.routerNamespace());
            assertEquals(p + "-rr2", lab.routedRealServerNamespace(2));
            assertEquals(2, lab.routedRealServerCount());
            assertEquals(LabAddresses.parseIpv4("198.18.0.1"), lab.routerAddress());
            assertEquals(LabAddresses.parseIpv4("198.19.1.1"), lab.routerRoutedSideAddress());
            assertEquals(LabAddresses.parseIpv4("198.19.1.12"), lab.routedRealServerAddress(2));

            for (int n = 1; n <= lab.routedRealServerCount(); n++)
            {
                final int address = lab.routedRealServerAddress(n);
                assertEquals("rr" + n, lab.routedRealServerName(n));
                assertEquals("rr" + n + "\n", lab.httpGet(address, "/"));
                assertEquals("rr" + n, lab.client().udpRequest(address, PING));
            }
            // the client reached them through the router: it resolved the router, never the servers themselves
            assertEquals(lab.routerMac(), lab.clientNeighbourMac(lab.routerAddress()));
            assertNull(lab.clientNeighbourMac(lab.routedRealServerAddress(1)));
            assertTrue(lab.exec(lab.clientNamespace(), "ip", "route", "get", "198.19.1.11").contains(
                "via 198.18.0.1 dev eth0"));

            // the director has the same route, which is what a TUN director reads to find its next hop
            assertTrue(lab.exec(lab.directorNamespace(), "ip", "route", "show", "198.19.1.0/24").contains(
                "via 198.18.0.1 dev eth0"));
            try (KeepAliveClient fromDirector = KeepAliveClient.open(lab.directorNamespace(),
                lab.routedRealServerAddress(1), Lab.HTTP_PORT))
            {
                assertEquals("rr1\n", fromDirector.get("/from-the-director"));
            }

            final String rr1 = lab.routedRealServerNamespace(1);
            assertTrue(lab.exec(rr1, "ip", "route", "show", "default").contains("via 198.19.1.1 dev eth0"));
            assertTrue(lab.exec(rr1, "ip", "-o", "addr", "show", "dev", "lo").contains(
                LabAddresses.formatIpv4(lab.vip()) + "/32"));
            assertEquals("1", sysctl(lab, rr1, "net.ipv4.conf.all.arp_ignore"));
            assertEquals("2", sysctl(lab, rr1, "net.ipv4.conf.eth0.arp_announce"));
            assertEquals("1", sysctl(lab, lab.routerNamespace(), "net.ipv4.ip_forward"));
            assertEquals("0", sysctl(lab, lab.routerNamespace(), "net.ipv4.conf.eth1.rp_filter"));
            assertEquals("0", sysctl(lab, lab.directorNamespace(), "net.ipv4.ip_forward"), "only the router routes");
            assertFalse(lab.exec(lab.routerNamespace(), "ip", "route").contains("mtu"),
                "no narrow link unless asked");
        }
        finally
        {
            lab.close();
        }
        assertNoNamespaceWithPrefix(lab.prefix());
    }

    @Test
    void narrowRouterLinkIsLearnedThroughTheRoutersFragmentationNeededBothWays() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        // two clients: a host that learned the path MTU advertises the smaller MSS on its next connections, so the
        // other end would never send a packet too large; each direction is learned on its own pair of hosts
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(1).clientCount(2).withProbe(false)
            .withRouter(true).routerLinkMtu(NARROW_MTU).build());
        try
        {
            final String rr1 = lab.routedRealServerNamespace(1);
            final int rr1Address = lab.routedRealServerAddress(1);
            final String downloader = LabAddresses.formatIpv4(lab.client(2).address());
            // the hosts' own links stay wide: they can only learn the narrow hop from the router's ICMP
            assertTrue(lab.exec(rr1, "ip", "-o", "link", "show", "dev", "eth0").contains("mtu 1500"));
            assertTrue(lab.exec(lab.clientNamespace(), "ip", "-o", "link", "show", "dev", "eth0").contains("mtu 1500"));
            assertNull(routeMtu(lab, rr1, downloader), "no path MTU learned before any traffic");

            final byte[] download = lab.client(2).httpGetBytes(rr1Address, "/bytes/" + TRANSFER_BYTES);
            assertEquals(TRANSFER_BYTES, download.length);
            assertEquals(Integer.valueOf(NARROW_MTU), routeMtu(lab, rr1, downloader),
                "the routed server learned the router's MTU for the client");

            assertEquals("rr1 " + TRANSFER_BYTES + "\n",
                lab.client().httpPost(rr1Address, "/received", TRANSFER_BYTES));
            assertEquals(Integer.valueOf(NARROW_MTU),
                routeMtu(lab, lab.clientNamespace(), LabAddresses.formatIpv4(rr1Address)),
                "the client learned the router's MTU for the routed server");
        }
        finally
        {
            lab.close();
        }
        assertNoNamespaceWithPrefix(lab.prefix());
    }

    @Test
    void routerAccessorsRefuseALabWithoutRouter() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final Lab lab = Lab.start(LabSpec.builder().realServerCount(1).withProbe(false).build());
        try
        {
            assertEquals(0, lab.routedRealServerCount());
            assertThrows(IllegalStateException.class, lab::routerNamespace);
            assertThrows(IllegalStateException.class, lab::routerAddress);
            assertThrows(IllegalArgumentException.class, () -> lab.routedRealServerAddress(1));
            assertEquals("", lab.exec(lab.clientNamespace(), "ip", "route", "show", "198.19.1.0/24"));
        }
        finally
        {
            lab.close();
        }
    }

    /** The path MTU {@code ip route get} reports from {@code namespace} to {@code destination}, or null for none. */
    private static Integer routeMtu(final Lab lab, final String namespace, final String destination)
        throws IOException
    {
        final Matcher matcher = ROUTE_MTU.matcher(lab.exec(namespace, "ip", "route", "get", destination));
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }

    private static String sysctl(final Lab lab, final String namespace, final String key) throws IOException
    {
        return lab.exec(namespace, "sysctl", "-n", key).trim();
    }

    private static void assertNoNamespaceWithPrefix(final String prefix) throws IOException
    {
        final String listed = Commands.ip("netns", "list");
        assertFalse(listed.contains(prefix + "-"), "left behind:\n" + listed);
    }
}
