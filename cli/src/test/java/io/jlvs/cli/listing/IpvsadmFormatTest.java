package io.jlvs.cli.listing;

import io.jlvs.arp.NeighbourTable;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The listing against text laid out by hand from ipvsadm.c's printf formats ({@code "  -> %-28s %-7s %-6d %-10u
 * %-10u\n"} and friends), line by line, trailing padding included: ipvsadm pads its last column too, and scripts
 * that cut columns by position rely on the widths.
 */
class IpvsadmFormatTest
{
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int SIZE = 4096;

    @Test
    void printsTheIssueExampleInIpvsadmLayout()
    {
        final Listing listing = listing(List.of(service(TCP, 0, "198.18.0.100", 80, "rr", 0, 0, -1,
            List.of(server("198.18.0.11", 80, 1, 0, 0)))));

        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  198.18.0.100:80 rr",
            "  -> 198.18.0.11:80" + sp(15) + "Route" + sp(3) + "1" + sp(6) + "0" + sp(10) + "0" + sp(9)),
            IpvsadmFormat.services(listing, ListView.SERVICES, false));
    }

    @Test
    void sortsServicesByFwmarkProtocolAddressPortAndServersByAddressPort()
    {
        final Listing listing = listing(List.of(
            service(0, 1, "0.0.0.0", 0, "rr", 0, 600, -1, List.of(server("198.18.0.21", 0, 5, 1, 0))),
            service(UDP, 0, "198.18.0.100", 53, "wlc", 0, 0, -1, List.of(server("198.18.0.13", 53, 1, 0, 0))),
            service(TCP, 0, "198.18.0.100", 80, "wrr", 0, 300, Ipv4.parse("255.255.255.0"), List.of(
                server("198.18.0.12", 80, 1, 0, 1),
                server("198.18.0.11", 80, 3, 2, 5)))));

        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  198.18.0.100:80 wrr persistent 300 mask 255.255.255.0",
            "  -> 198.18.0.11:80" + sp(15) + "Route" + sp(3) + "3" + sp(6) + "2" + sp(10) + "5" + sp(9),
            "  -> 198.18.0.12:80" + sp(15) + "Route" + sp(3) + "1" + sp(6) + "0" + sp(10) + "1" + sp(9),
            "UDP  198.18.0.100:53 wlc",
            "  -> 198.18.0.13:53" + sp(15) + "Route" + sp(3) + "1" + sp(6) + "0" + sp(10) + "0" + sp(9),
            "FWM  1 rr persistent 600",
            "  -> 198.18.0.21:0" + sp(16) + "Route" + sp(3) + "5" + sp(6) + "1" + sp(10) + "0" + sp(9)),
            IpvsadmFormat.services(listing, ListView.SERVICES, false));
    }

    @Test
    void sortsAddressesAsUnsignedNumbersSoHighAddressesComeLast()
    {
        final Listing listing = listing(List.of(
            service(TCP, 0, "200.0.0.1", 80, "rr", 0, 0, -1, List.of()),
            service(TCP, 0, "10.0.0.1", 80, "rr", 0, 0, -1, List.of())));

        final List<String> lines = IpvsadmFormat.services(listing, ListView.SERVICES, false).lines().toList();

        assertEquals("TCP  10.0.0.1:80 rr", lines.get(3));
        assertEquals("TCP  200.0.0.1:80 rr", lines.get(4));
    }

    @Test
    void namesSchedulerFlagsAfterTheSchedulerThatReadsThem()
    {
        final Listing listing = listing(List.of(
            service(TCP, 0, "198.18.0.100", 80, "sh", SchedulerFlags.SH_FALLBACK | SchedulerFlags.SH_PORT, 0, -1,
                List.of()),
            service(TCP, 0, "198.18.0.100", 81, "wlc", SchedulerFlags.SH_PORT, 0, -1, List.of())));

        final List<String> lines = IpvsadmFormat.services(listing, ListView.SERVICES, false).lines().toList();

        assertEquals("TCP  198.18.0.100:80 sh (sh-fallback,sh-port)", lines.get(3));
        assertEquals("TCP  198.18.0.100:81 wlc (flag-2)", lines.get(4));
    }

    @Test
    void printsStatsInNineColumnsScaledAsPrintLargenum()
    {
        final Stats serverStats = new Stats(5, 99_999_999L, 0, 123_456_789L, 0);
        final Stats serviceStats = new Stats(5, 99_999_999L, 0, 1_234_567_890L, 0);
        final Listing listing = listing(List.of(new ServiceRow(TCP, 0, Ipv4.parse("198.18.0.100"), 80, "rr", 0, 0,
            -1, false, serviceStats, List.of(new ServerRow(Ipv4.parse("198.18.0.11"), 80, "Route", 1, 0, 0, 0, 0, 0,
            serverStats)))));

        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port" + sp(15) + "Conns" + sp(3) + "InPkts" + sp(2) + "OutPkts" + sp(2) + "InBytes" +
                sp(1) + "OutBytes",
            "  -> RemoteAddress:Port",
            "TCP  198.18.0.100:80" + sp(13) + sp(8) + "5" + " 99999999" + sp(8) + "0" + sp(4) + "1234M" +
                sp(8) + "0",
            "  -> 198.18.0.11:80" + sp(14) + sp(8) + "5" + " 99999999" + sp(8) + "0" + sp(2) + "123456K" +
                sp(8) + "0"),
            IpvsadmFormat.services(listing, ListView.STATS, false));
    }

    @Test
    void printsRatesAsIpvsadmDoesServerPacketRatesWholeInEightColumnsAndByteRatesAsLargeNumbers()
    {
        final Rates serverRates = new Rates(50, 500, 0, 123_456_789L, 0);
        final Rates serviceRates = new Rates(100, 1000, 0, 64000, 0);
        final Listing listing = listing(List.of(new ServiceRow(TCP, 0, Ipv4.parse("198.18.0.100"), 80, "rr", 0, 0,
            -1, false, Stats.ZERO, List.of(new ServerRow(Ipv4.parse("198.18.0.11"), 80, "Route", 1, 0, 0, 0, 0, 0,
            Stats.ZERO, serverRates)), serviceRates)));

        // ipvsadm.c: print_title's "%-33s %8s %8s %8s %8s %8s", the service's print_largenum x 5, the server's
        // "  -> %-28s %8u %8u %8u" then print_largenum for InBPS and OutBPS.
        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port" + sp(17) + "CPS" + sp(4) + "InPPS" + sp(3) + "OutPPS" + sp(4) + "InBPS" +
                sp(3) + "OutBPS",
            "  -> RemoteAddress:Port",
            "TCP  198.18.0.100:80" + sp(13) + sp(6) + "100" + sp(5) + "1000" + sp(8) + "0" + sp(4) + "64000" +
                sp(8) + "0",
            "  -> 198.18.0.11:80" + sp(14) + sp(7) + "50" + sp(6) + "500" + sp(8) + "0" + sp(2) + "123456K" +
                sp(8) + "0"),
            IpvsadmFormat.services(listing, ListView.RATE, false));
    }

    @Test
    void exactStatsWidenPastEightDigitsByOneSpace()
    {
        final StringBuilder out = new StringBuilder();

        IpvsadmFormat.appendLargeNumber(out, 1_234_567_890L, true);
        IpvsadmFormat.appendLargeNumber(out, 12, true);

        assertEquals(" 1234567890" + sp(7) + "12", out.toString());
    }

    @Test
    void scalesTeraAndGigaAsIpvsadm()
    {
        final StringBuilder out = new StringBuilder();

        IpvsadmFormat.appendLargeNumber(out, 99_999_999_999_999L, false);
        IpvsadmFormat.appendLargeNumber(out, 100_000_000_000_000L, false);

        assertEquals(sp(3) + "99999G" + sp(5) + "100T", out.toString());
    }

    @Test
    void printsThresholdsAndPersistentConnectionViews()
    {
        final Listing listing = listing(List.of(new ServiceRow(TCP, 0, Ipv4.parse("198.18.0.100"), 80, "wlc", 0, 0,
            -1, false, Stats.ZERO, List.of(new ServerRow(Ipv4.parse("198.18.0.11"), 80, "Route", 4, 7, 8, 9, 5000,
            4000, Stats.ZERO)))));

        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port" + sp(12) + "Uthreshold Lthreshold ActiveConn InActConn ",
            "  -> RemoteAddress:Port",
            "TCP  198.18.0.100:80 wlc",
            "  -> 198.18.0.11:80" + sp(15) + "5000" + sp(7) + "4000" + sp(7) + "7" + sp(10) + "8" + sp(9)),
            IpvsadmFormat.services(listing, ListView.THRESHOLDS, false));
        assertLines(List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port" + sp(12) + "Weight    PersistConn ActiveConn InActConn ",
            "  -> RemoteAddress:Port",
            "TCP  198.18.0.100:80 wlc",
            "  -> 198.18.0.11:80" + sp(15) + "4" + sp(9) + "9" + sp(11) + "7" + sp(10) + "8" + sp(9)),
            IpvsadmFormat.services(listing, ListView.PERSISTENT_CONN, false));
    }

    @Test
    void printsConnectionEntriesWithExpireAsMinutesAndSeconds()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(
            new ConnectionRow(TCP, 898, "ESTABLISHED", Ipv4.parse("198.18.0.10"), 40000, Ipv4.parse("198.18.0.100"),
                80, Ipv4.parse("198.18.0.11"), 80),
            new ConnectionRow(TCP, 5, "NONE", Ipv4.parse("198.18.0.0"), 0, Ipv4.parse("198.18.0.100"), 0,
                Ipv4.parse("198.18.0.11"), 80)), List.of(), List.of(), List.of());

        assertLines(List.of(
            "IPVS connection entries",
            "pro expire state" + sp(7) + "source" + sp(13) + "virtual" + sp(12) + "destination",
            "TCP 14:58  ESTABLISHED 198.18.0.10:40000  198.18.0.100:80    198.18.0.11:80",
            "TCP 00:05  NONE" + sp(8) + "198.18.0.0:0" + sp(7) + "198.18.0.100:0" + sp(5) + "198.18.0.11:80"),
            IpvsadmFormat.connections(listing));
    }

    @Test
    void persistentConnWithConnectionsAddsThePersistenceEngineColumnsToTheTitleOnly()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(
            new ConnectionRow(UDP, 299, "NONE", Ipv4.parse("198.18.0.10"), 0, Ipv4.parse("198.18.0.100"), 53,
                Ipv4.parse("198.18.0.11"), 53),
            new ConnectionRow(UDP, 300, "UDP", Ipv4.parse("198.18.0.10"), 40000, Ipv4.parse("198.18.0.100"), 53,
                Ipv4.parse("198.18.0.11"), 53)), List.of(), List.of(), List.of());

        // ipvsadm: "pro expire %-11s %-18s %-18s %-18s %-16s %s" for the title; entries without a persistence
        // engine keep "%-3s %-6s %-11s %-18s %-18s %s"
        assertLines(List.of(
            "IPVS connection entries",
            "pro expire state" + sp(7) + "source" + sp(13) + "virtual" + sp(12) + "destination" + sp(8) + "pe name" +
                sp(10) + "pe_data",
            "UDP 04:59  NONE" + sp(8) + "198.18.0.10:0" + sp(6) + "198.18.0.100:53" + sp(4) + "198.18.0.11:53",
            "UDP 05:00  UDP" + sp(9) + "198.18.0.10:40000" + sp(2) + "198.18.0.100:53" + sp(4) + "198.18.0.11:53"),
            IpvsadmFormat.render(listing, new ListRequest(ListView.PERSISTENT_CONN, false, true, false, false, false)));
    }

    @Test
    void printsTimeoutsAsIpvsadmTimeout()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(), List.of(), List.of(), List.of());

        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", IpvsadmFormat.timeout(listing));
    }

    @Test
    void rendersConnectionsThenTimeoutInsteadOfTheServiceTableWhenAskedForBoth()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(), List.of(), List.of(), List.of());

        final String text = IpvsadmFormat.render(listing,
            new ListRequest(ListView.SERVICES, false, true, true, false, false));

        assertLines(List.of(
            "IPVS connection entries",
            "pro expire state" + sp(7) + "source" + sp(13) + "virtual" + sp(12) + "destination",
            "Timeout (tcp tcpfin udp): 900 120 300"), text);
    }

    @Test
    void countersListEveryCounterWithDropsByReasonAndTheirTotal()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(),
            List.of(new CounterRow("RX_FRAMES", "frames received", 12, false),
                new CounterRow("DROP_TRUNCATED", "dropped: truncated frame", 3, true),
                new CounterRow("DROP_MALFORMED", "dropped: malformed IPv4 header", 4, true)),
            List.of(new CounterRow("TX_FRAMES", "txFrames", 9, false)), List.of());

        assertLines(List.of(
            "Dataplane counters (interface eth0)",
            "  RX_FRAMES" + sp(15) + sp(19) + "12  frames received",
            "Drops by reason",
            "  DROP_TRUNCATED" + sp(10) + sp(20) + "3  dropped: truncated frame",
            "  DROP_MALFORMED" + sp(10) + sp(20) + "4  dropped: malformed IPv4 header",
            "  DROPS_TOTAL" + sp(13) + sp(20) + "7  every frame dropped or ignored",
            "Transport",
            "  TX_FRAMES" + sp(15) + sp(20) + "9  txFrames"),
            IpvsadmFormat.counters(listing));
    }

    @Test
    void countersOfSeveralWorkersShowTheSumSecondThenEachWorkersCountUnderATitle()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(),
            List.of(new CounterRow("RX_FRAMES", "frames received", 12, false, List.of(5L, 7L)),
                new CounterRow("DROP_TRUNCATED", "dropped: truncated frame", 3, true, List.of(1L, 2L)),
                new CounterRow("DROP_MALFORMED", "dropped: malformed IPv4 header", 4, true, List.of(4L, 0L))),
            List.of(new CounterRow("TX_FRAMES", "txFrames", 9, false, List.of(6L, 3L))), List.of(), 2);

        assertLines(List.of(
            "Dataplane counters (interface eth0, 2 workers)",
            sp(2 + 24 + 1 + 15) + "total" + sp(7) + "worker 0" + sp(7) + "worker 1",
            "  RX_FRAMES" + sp(15) + sp(19) + "12" + sp(14) + "5" + sp(14) + "7  frames received",
            "Drops by reason",
            "  DROP_TRUNCATED" + sp(10) + sp(20) + "3" + sp(14) + "1" + sp(14) + "2  dropped: truncated frame",
            "  DROP_MALFORMED" + sp(10) + sp(20) + "4" + sp(14) + "4" + sp(14) + "0  dropped: malformed IPv4 header",
            "  DROPS_TOTAL" + sp(13) + sp(20) + "7" + sp(14) + "5" + sp(14) + "2  every frame dropped or ignored",
            "Transport",
            "  TX_FRAMES" + sp(15) + sp(20) + "9" + sp(14) + "6" + sp(14) + "3  txFrames"),
            IpvsadmFormat.counters(listing));
    }

    @Test
    void listRequestSurvivesTheRoundTripThroughItsRequestLine()
    {
        final ListRequest request = new ListRequest(ListView.STATS, true, true, false, true, true);

        assertEquals("list stats exact connections counters neighbours", request.toLine());
        final List<String> words = List.of(request.toLine().split(" "));
        assertEquals(request, ListRequest.parse(words.subList(1, words.size())));
    }

    @Test
    void neighboursListEveryResolvedAddressInAddressOrderWithADashForAnUnknownMac()
    {
        final Listing listing = new Listing(SIZE, "eth0", List.of(), 900, 120, 300, List.of(), List.of(), List.of(),
            List.of(new NeighbourRow(Ipv4.parse("198.18.0.102"), NeighbourTable.NO_MAC, "INCOMPLETE"),
                new NeighbourRow(Ipv4.parse("198.18.0.101"), 0x02_00_5e_0a_0b_0cL, "REACHABLE"),
                new NeighbourRow(Ipv4.parse("255.255.255.254"), 0xaa_bb_cc_dd_ee_ffL, "FAILED"),
                new NeighbourRow(Ipv4.parse("198.18.0.99"), 0x02_00_00_00_00_63L, "STALE")));

        assertLines(List.of(
            "Neighbours (interface eth0)",
            "Address" + sp(9) + "MAC" + sp(15) + "State",
            "198.18.0.99" + sp(5) + "02:00:00:00:00:63 STALE",
            "198.18.0.101" + sp(4) + "02:00:5e:0a:0b:0c REACHABLE",
            "198.18.0.102" + sp(4) + "-" + sp(17) + "INCOMPLETE",
            "255.255.255.254 aa:bb:cc:dd:ee:ff FAILED"),
            IpvsadmFormat.neighbours(listing));
    }

    @Test
    void neighboursAloneReplaceTheServiceTableAndAnEmptyCacheStillPrintsTheHeader()
    {
        final Listing listing = listing(List.of(service(TCP, 0, "198.18.0.100", 80, "rr", 0, 0, -1, List.of())));

        final String text = IpvsadmFormat.render(listing, ListRequest.parse(List.of("neighbours")));

        assertLines(List.of(
            "Neighbours (interface eth0)",
            "Address" + sp(9) + "MAC" + sp(15) + "State"), text);
    }

    @Test
    void neighboursRequestSurvivesTheRoundTripAlone()
    {
        final ListRequest request = ListRequest.parse(List.of("neighbours"));

        assertEquals(new ListRequest(ListView.SERVICES, false, false, false, false, true), request);
        assertEquals("list neighbours", request.toLine());
    }

    private static void assertLines(final List<String> expected, final String actual)
    {
        final List<String> lines = actual.lines().toList();
        for (int i = 0; i < Math.min(expected.size(), lines.size()); i++)
        {
            assertEquals(expected.get(i), lines.get(i), "line " + (i + 1));
        }
        assertEquals(expected.size(), lines.size(), "number of lines in:\n" + actual);
        assertEquals('\n', actual.charAt(actual.length() - 1), "ends with a newline");
    }

    private static String sp(final int count)
    {
        return " ".repeat(count);
    }

    private static Listing listing(final List<ServiceRow> services)
    {
        return new Listing(SIZE, "eth0", services, 900, 120, 300, List.of(), List.of(), List.of(), List.of());
    }

    private static ServiceRow service(
        final int protocol, final int fwmark, final String vip, final int port, final String scheduler,
        final int flags, final int persistence, final int netmask, final List<ServerRow> servers)
    {
        return new ServiceRow(protocol, fwmark, Ipv4.parse(vip), port, scheduler, flags, persistence, netmask, false,
            Stats.ZERO, servers);
    }

    private static ServerRow server(
        final String address, final int port, final int weight, final int active, final int inactive)
    {
        return new ServerRow(Ipv4.parse(address), port, "Route", weight, active, inactive, 0, 0, 0, Stats.ZERO);
    }
}
