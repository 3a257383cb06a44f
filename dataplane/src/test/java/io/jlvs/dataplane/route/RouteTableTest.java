package io.jlvs.dataplane.route;

import io.jlvs.fixtures.FrameBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTableTest
{
    /**
     * /proc/net/route as a little-endian kernel prints it (addresses are the network-order word printed as a
     * native integer: 198.18.0.1 is 010012C6), for:
     * <pre>
     * default via 198.18.0.1 dev eth0 metric 100
     * default via 198.18.0.254 dev eth1 metric 50
     * 198.18.0.0/24 dev eth0
     * 198.18.1.0/24 via 198.18.0.1 dev eth0
     * 198.18.1.128/25 via 198.18.0.7 dev eth0
     * 198.18.1.200 via 198.18.0.9 dev eth0        (a host route, RTF_HOST)
     * unreachable 198.18.2.0/24
     * 198.18.3.0/24 dev eth0                      (not RTF_UP: ignored)
     * </pre>
     */
    private static final String ROUTES =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                    \n" +
        "eth0\t00000000\t010012C6\t0003\t0\t0\t100\t00000000\t0\t0\t0                                          \n" +
        "eth1\t00000000\tFE0012C6\t0003\t0\t0\t50\t00000000\t0\t0\t0                                           \n" +
        "eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                            \n" +
        "eth0\t000112C6\t010012C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0                                            \n" +
        "eth0\t800112C6\t070012C6\t0003\t0\t0\t0\t80FFFFFF\t0\t0\t0                                            \n" +
        "eth0\tC80112C6\t090012C6\t0007\t0\t0\t0\tFFFFFFFF\t0\t0\t0                                            \n" +
        "*\t000212C6\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0                                               \n" +
        "eth0\t000312C6\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0                                            \n";

    private static int ip(final String dotted)
    {
        return FrameBuilder.address(dotted);
    }

    @Test
    void onLinkDestinationsAreTheirOwnNextHop()
    {
        final RouteTable table = RouteTable.parse(ROUTES);

        assertEquals(ip("198.18.0.20"), table.nextHop(ip("198.18.0.20")));
        assertEquals("eth0", table.interfaceFor(ip("198.18.0.20")));
        assertTrue(table.isOnLink(table.find(ip("198.18.0.20"))));
        assertEquals(0, table.gateway(table.find(ip("198.18.0.20"))));
    }

    @Test
    void theLongestMatchingPrefixWins()
    {
        final RouteTable table = RouteTable.parse(ROUTES);

        assertEquals(ip("198.18.0.1"), table.nextHop(ip("198.18.1.20")), "/24");
        assertEquals(ip("198.18.0.7"), table.nextHop(ip("198.18.1.130")), "/25");
        assertEquals(ip("198.18.0.9"), table.nextHop(ip("198.18.1.200")), "/32");
        assertEquals(25, table.prefixLength(table.find(ip("198.18.1.130"))));
        assertEquals(ip("198.18.1.128"), table.destination(table.find(ip("198.18.1.130"))));
    }

    @Test
    void amongEqualPrefixesTheLowestMetricWins()
    {
        final RouteTable table = RouteTable.parse(ROUTES);

        assertEquals(ip("198.18.0.254"), table.nextHop(ip("203.0.113.9")));
        assertEquals("eth1", table.interfaceFor(ip("203.0.113.9")));
        assertEquals(50, table.metric(table.find(ip("203.0.113.9"))));
    }

    @Test
    void rejectRoutesMakeTheirPrefixUnreachableAndRoutesThatAreNotUpDoNotCount()
    {
        final RouteTable table = RouteTable.parse(ROUTES);

        assertEquals(RouteTable.NO_ROUTE, table.find(ip("198.18.2.1")));
        assertEquals(RouteTable.UNREACHABLE, table.nextHop(ip("198.18.2.1")));
        assertNull(table.interfaceFor(ip("198.18.2.1")));
        assertEquals(ip("198.18.0.254"), table.nextHop(ip("198.18.3.1")), "the down /24 is ignored: default");
        assertEquals(7, table.size());
    }

    @Test
    void withoutADefaultRouteOtherNetworksAreUnreachable()
    {
        final RouteTable table = RouteTable.parse(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
            "eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");

        assertEquals(RouteTable.UNREACHABLE, table.nextHop(ip("198.19.0.1")));
        assertEquals(RouteTable.UNREACHABLE, RouteTable.EMPTY.nextHop(ip("198.18.0.1")));
        assertEquals(RouteTable.UNREACHABLE, RouteTable.parse("Iface Destination Gateway Flags Metric Mask\n")
            .nextHop(ip("198.18.0.1")), "a header alone is an empty table");
    }

    @Test
    void listsRoutesInLookupOrderLikeIpRoute()
    {
        assertEquals(
            "198.18.1.200/32 via 198.18.0.9 dev eth0 metric 0\n" +
            "198.18.1.128/25 via 198.18.0.7 dev eth0 metric 0\n" +
            "198.18.0.0/24 dev eth0 metric 0\n" +
            "198.18.1.0/24 via 198.18.0.1 dev eth0 metric 0\n" +
            "unreachable 198.18.2.0/24 dev * metric 0\n" +
            "0.0.0.0/0 via 198.18.0.254 dev eth1 metric 50\n" +
            "0.0.0.0/0 via 198.18.0.1 dev eth0 metric 100\n",
            RouteTable.parse(ROUTES).toString());
    }

    @Test
    void malformedTextIsRefusedNamingTheLine()
    {
        final String header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

        assertMessage("no header", "");
        assertMessage("no column Mask", "Iface\tDestination\tGateway\tFlags\tMetric\n");
        assertMessage("line 2 has 3 fields", header + "eth0\t000012C6\t00000000\n");
        assertMessage("line 2 has 'XYZ'", header + "eth0\tXYZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        assertMessage("line 3 has a non-contiguous mask 00FF00FF", header +
            "eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
            "eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FF00FF\t0\t0\t0\n");
        assertMessage("line 2 has metric 'x'", header + "eth0\t000012C6\t00000000\t0001\t0\t0\tx\t00FFFFFF\t0\t0\t0\n");
    }

    private static void assertMessage(final String expected, final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RouteTable.parse(text));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void readingAFileThatDoesNotParseIsAnIoErrorNamingTheFile(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("route");
        Files.writeString(file, "garbage\n1 2 3\n");

        final IOException ex = assertThrows(IOException.class, () -> RouteTable.read(file));

        assertTrue(ex.getMessage().startsWith(file.toString()), ex.getMessage());
        Files.writeString(file, ROUTES);
        assertEquals(ip("198.18.0.9"), RouteTable.read(file).nextHop(ip("198.18.1.200")));
    }
}
