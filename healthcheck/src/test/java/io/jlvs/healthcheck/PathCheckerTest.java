package io.jlvs.healthcheck;

import io.jlvs.arp.MacAddress;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.config.CheckTiming;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.transport.BpfProgram;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportException;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

import static io.jlvs.healthcheck.PathProbeFramesTest.DIRECTOR;
import static io.jlvs.healthcheck.PathProbeFramesTest.DIRECTOR_MAC;
import static io.jlvs.healthcheck.PathProbeFramesTest.GATEWAY_MAC;
import static io.jlvs.healthcheck.PathProbeFramesTest.SERVER;
import static io.jlvs.healthcheck.PathProbeFramesTest.SERVER_MAC;
import static io.jlvs.healthcheck.PathProbeFramesTest.TUNNEL_SERVER;
import static io.jlvs.healthcheck.PathProbeFramesTest.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One PATH_CHECK attempt against a scripted far side: the test plays the network in the checker's idle pause (it
 * answers what was sent since, and moves a manual clock), so timeouts are reached without waiting.
 */
class PathCheckerTest
{
    private static final String INTERFACE = "eth0";
    private static final int GATEWAY = Ipv4.parse("10.0.0.1");
    private static final int SECOND_VIP = Ipv4.parse("10.0.0.101");
    private static final long STRANGER_MAC = MacAddress.parse("02:00:00:00:00:0c");
    private static final int SYN_ACK = TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK;
    private static final int RST_ACK = TcpHeader.FLAG_RST | TcpHeader.FLAG_ACK;
    /** How far the manual clock moves per idle pause: well under the 1 s SYN and ARP retries. */
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SEED = 4;
    private static final CheckTiming TIMING = new CheckTiming(1, 1_000, 1_000, 0, false);
    /** The director's segment and, through 10.0.0.1, the TUN servers' one; 10.0.1.0/24 leaves through eth1. */
    private static final String ROUTES = routes(
        route(INTERFACE, "10.0.0.0", "0.0.0.0", "255.255.255.0"),
        route(INTERFACE, "10.9.0.0", "10.0.0.1", "255.255.255.0"),
        route("eth1", "10.0.1.0", "0.0.0.0", "255.255.255.0"));

    @Test
    void synAckFromTheVipPassesAndTheHalfOpenConnectionIsReset()
    {
        final Network network = new Network(ROUTES, answering(SYN_ACK, SERVER_MAC));
        final CheckOutcome outcome = check(dr(1_000, VIP), known(), network);
        assertTrue(outcome.passed(), outcome.detail());
        final List<byte[]> sent = network.sent();
        assertEquals(2, sent.size(), "a SYN, then a RST");
        final byte[] syn = sent.get(0);
        final byte[] rst = sent.get(1);
        assertEquals(TcpHeader.FLAG_SYN, ProbeWire.tcpFlags(syn));
        assertEquals(TcpHeader.FLAG_RST, ProbeWire.tcpFlags(rst));
        assertEquals(SERVER_MAC, ProbeWire.destinationMac(syn));
        assertEquals(SERVER_MAC, ProbeWire.destinationMac(rst));
        assertEquals(DIRECTOR, ProbeWire.ipSource(syn, EthernetHeader.LENGTH));
        assertEquals(VIP, ProbeWire.ipDestination(syn, EthernetHeader.LENGTH));
        assertEquals(80, ProbeWire.destinationPort(syn));
        assertEquals(ProbeWire.sourcePort(syn), ProbeWire.sourcePort(rst));
        assertEquals(ProbeWire.sequence(syn) + 1, ProbeWire.sequence(rst));
        final int port = ProbeWire.sourcePort(syn);
        assertTrue(port >= PathChecker.FIRST_SOURCE_PORT && port < 65_536, "a dynamic port: " + port);
    }

    @Test
    void resetFromTheVipPassesWithoutAResetOfOurOwn()
    {
        final Network network = new Network(ROUTES, answering(RST_ACK, SERVER_MAC));
        final CheckOutcome outcome = check(dr(1_000, VIP), known(), network);
        assertTrue(outcome.passed(), outcome.detail());
        assertEquals(1, network.sent().size());
    }

    @Test
    void silenceFailsAfterTheTimeoutWithTheSynSentAgainEachSecondAsConnectWould()
    {
        final Network network = new Network(ROUTES, frame -> List.of());
        final CheckOutcome outcome = check(dr(2_500, VIP), known(), network);
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 10.0.0.11 (DR): no answer from 10.0.0.100:80 " +
            "within 2500 ms (does the real server hold the VIP?)"), outcome);
        final List<byte[]> sent = network.sent();
        assertEquals(3, sent.size(), "at 0, 1 and 2 s");
        for (final byte[] syn : sent)
        {
            assertEquals(TcpHeader.FLAG_SYN, ProbeWire.tcpFlags(syn));
            assertEquals(ProbeWire.sourcePort(sent.get(0)), ProbeWire.sourcePort(syn));
            assertEquals(ProbeWire.sequence(sent.get(0)), ProbeWire.sequence(syn));
        }
    }

    @Test
    void answerFromAnotherStationFailsADrCheck()
    {
        final Network network = new Network(ROUTES, answering(SYN_ACK, STRANGER_MAC));
        final CheckOutcome outcome = check(dr(1_000, VIP), known(), network);
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 10.0.0.11 (DR): 10.0.0.100:80 answered from " +
            "02:00:00:00:00:0c, not from the real server's 02:00:00:00:00:0b (the real server does not hold the VIP " +
            "and routes the probe on?)"), outcome);
    }

    @Test
    void everyVipOfTheServiceMustAnswer()
    {
        final Function<byte[], List<byte[]>> onlyFirstVip = frame ->
            ProbeWire.ipDestination(frame, ProbeWire.segmentIp(frame)) == VIP ?
                answering(SYN_ACK, SERVER_MAC).apply(frame) : List.of();
        final CheckOutcome outcome = check(dr(1_000, VIP, SECOND_VIP), known(), new Network(ROUTES, onlyFirstVip));
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80,10.0.0.101:80 via 10.0.0.11 (DR): no answer from " +
            "10.0.0.101:80 within 1000 ms (does the real server hold the VIP?)"), outcome);

        final Network both = new Network(ROUTES, answering(SYN_ACK, SERVER_MAC));
        assertTrue(check(dr(1_000, VIP, SECOND_VIP), known(), both).passed());
        final List<byte[]> sent = both.sent();
        assertEquals(4, sent.size(), "two SYNs, two RSTs");
        assertTrue(ProbeWire.sourcePort(sent.get(0)) != ProbeWire.sourcePort(sent.get(1)), "one port per VIP");
    }

    @Test
    void macUnknownToTheDirectorIsResolvedWithAnArpRequestFirst()
    {
        final Network network = new Network(ROUTES, arpAnswering(SERVER_MAC).then(answering(SYN_ACK,
            SERVER_MAC)));
        final CheckOutcome outcome = check(dr(1_000, VIP), PathProbeOptions.on(INTERFACE,
            address -> NeighbourTable.NO_MAC), network);
        assertTrue(outcome.passed(), outcome.detail());
        final List<byte[]> sent = network.sent();
        assertEquals(EthernetHeader.ETHERTYPE_ARP, ProbeWire.etherType(sent.get(0)));
        assertEquals(MacAddress.BROADCAST, ProbeWire.destinationMac(sent.get(0)));
        assertEquals(SERVER_MAC, ProbeWire.destinationMac(sent.get(1)));
        assertEquals(TcpHeader.FLAG_SYN, ProbeWire.tcpFlags(sent.get(1)));
    }

    @Test
    void withoutAnArpReplyTheAttemptFailsSayingSo()
    {
        final CheckOutcome outcome = check(dr(1_000, VIP), PathProbeOptions.FROM_ROUTES,
            new Network(ROUTES, frame -> List.of()));
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 10.0.0.11 (DR): no ARP reply from 10.0.0.11 on " +
            "eth0 within 1000 ms"), outcome);
    }

    @Test
    void interfaceComesFromTheRoutingTableWhenNotGiven()
    {
        final Network network = new Network(ROUTES, arpAnswering(SERVER_MAC).then(answering(SYN_ACK,
            SERVER_MAC)));
        assertTrue(check(dr(1_000, VIP), PathProbeOptions.FROM_ROUTES, network).passed());
        assertEquals(List.of(INTERFACE), network.opened);

        final PathCheck elsewhere = new PathCheck("test.conf", 1, Ipv4.parse("10.0.1.5"), ForwardingMethod.DR,
            List.of(new VirtualAddress(VIP, 80)), 1_000, TIMING);
        final Network other = new Network(ROUTES, frame -> List.of());
        check(elsewhere, PathProbeOptions.FROM_ROUTES, other);
        assertEquals(List.of("eth1"), other.opened);
    }

    @Test
    void serverWithoutARouteFailsWithoutOpeningASocket()
    {
        final Network network = new Network(ROUTES, frame -> List.of());
        final PathCheck unrouted = new PathCheck("test.conf", 1, Ipv4.parse("192.0.2.7"), ForwardingMethod.TUN,
            List.of(new VirtualAddress(VIP, 80)), 1_000, TIMING);
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 192.0.2.7 (TUN): no route to 192.0.2.7"),
            check(unrouted, known(), network));
        assertEquals(List.of(), network.opened);
    }

    @Test
    void tunServerReachedThroughAnotherInterfaceThanTheDirectorsFails()
    {
        final PathCheck tun = new PathCheck("test.conf", 1, Ipv4.parse("10.0.1.5"), ForwardingMethod.TUN,
            List.of(new VirtualAddress(VIP, 80)), 1_000, TIMING);
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 10.0.1.5 (TUN): 10.0.1.5 is reached through " +
            "eth1, not the director interface eth0"), check(tun, known(), new Network(ROUTES, frame -> List.of())));
    }

    @Test
    void tunProbeGoesInIpipToTheRoutingTablesNextHopAndSoDoesItsReset()
    {
        final PathCheck tun = new PathCheck("test.conf", 1, TUNNEL_SERVER, ForwardingMethod.TUN,
            List.of(new VirtualAddress(VIP, 80)), 1_000, TIMING);
        // The server answers natively, from the VIP; its answer comes back through the router.
        final Network network = new Network(ROUTES, answering(SYN_ACK, GATEWAY_MAC));
        final CheckOutcome outcome = check(tun, known(), network);
        assertTrue(outcome.passed(), outcome.detail());
        final List<byte[]> sent = network.sent();
        assertEquals(2, sent.size());
        for (final byte[] frame : sent)
        {
            assertEquals(GATEWAY_MAC, ProbeWire.destinationMac(frame));
            assertEquals(DIRECTOR, ProbeWire.ipSource(frame, EthernetHeader.LENGTH));
            assertEquals(TUNNEL_SERVER, ProbeWire.ipDestination(frame, EthernetHeader.LENGTH));
            assertEquals(VIP, ProbeWire.ipDestination(frame, ProbeWire.segmentIp(frame)));
        }
        assertEquals(TcpHeader.FLAG_RST, ProbeWire.tcpFlags(sent.get(1)));
    }

    @Test
    void framesCarryAVirtioHeaderThatAsksForNothingOnSocketsThatHaveOne()
    {
        final Network network = new Network(ROUTES, answering(SYN_ACK, SERVER_MAC));
        network.vnet = true;
        assertTrue(check(dr(1_000, VIP), known(), network).passed());
        final byte[] raw = network.transports.get(0).sentRaw().get(0);
        assertEquals(VnetHeader.LENGTH + PathProbeFrames.DR_FRAME_LENGTH, raw.length);
        assertEquals(0, Arrays.stream(Arrays.copyOf(toInts(raw), VnetHeader.LENGTH)).sum());
        assertEquals(TcpHeader.FLAG_SYN, ProbeWire.tcpFlags(network.sent().get(0)));
    }

    @Test
    void socketThatCannotBeOpenedFailsTheAttemptWithTheReason()
    {
        final Network network = new Network(ROUTES, frame -> List.of());
        network.openFailure = new TransportException("socket(AF_PACKET, SOCK_RAW) failed: EPERM", 1);
        assertEquals(CheckOutcome.fail("PATH_CHECK 10.0.0.100:80 via 10.0.0.11 (DR): cannot open a packet socket on " +
            "eth0: socket(AF_PACKET, SOCK_RAW) failed: EPERM"), check(dr(1_000, VIP), known(), network));
    }

    @Test
    void probeTheKernelRefusesFailsTheAttemptAtOnce()
    {
        final Network network = new Network(ROUTES, answering(SYN_ACK, SERVER_MAC));
        network.refuse = 1;
        final CheckOutcome outcome = check(dr(1_000, VIP), known(), network);
        assertTrue(outcome.detail().startsWith("PATH_CHECK 10.0.0.100:80 via 10.0.0.11 (DR): the probe could not " +
            "be sent on eth0 ("), outcome.detail());
        assertEquals(0, network.transports.get(0).sent().size());
    }

    private static CheckOutcome check(final PathCheck config, final PathProbeOptions options, final Network network)
    {
        return new PathChecker(config, options, network).check();
    }

    private static PathCheck dr(final long timeoutMs, final int... vips)
    {
        final List<VirtualAddress> targets = new ArrayList<>();
        for (final int vip : vips)
        {
            targets.add(new VirtualAddress(vip, 80));
        }
        return new PathCheck("test.conf", 1, SERVER, ForwardingMethod.DR, targets, timeoutMs, TIMING);
    }

    /** The director's neighbour cache, which knows the server and the gateway. */
    private static PathProbeOptions known()
    {
        final IntToLongFunction neighbours = address -> address == SERVER ? SERVER_MAC :
            address == GATEWAY ? GATEWAY_MAC : NeighbourTable.NO_MAC;
        return PathProbeOptions.on(INTERFACE, neighbours);
    }

    /** A server holding the VIPs: each SYN is answered from its VIP:port with {@code flags}, from {@code mac}. */
    private static Function<byte[], List<byte[]>> answering(final int flags, final long mac)
    {
        return frame ->
        {
            if (ProbeWire.etherType(frame) != EthernetHeader.ETHERTYPE_IPV4 ||
                ProbeWire.tcpFlags(frame) != TcpHeader.FLAG_SYN)
            {
                return List.of();
            }
            final int ip = ProbeWire.segmentIp(frame);
            return List.of(ProbeWire.segment(mac, DIRECTOR_MAC, ProbeWire.ipDestination(frame, ip),
                ProbeWire.destinationPort(frame), ProbeWire.ipSource(frame, ip), ProbeWire.sourcePort(frame),
                ProbeWire.sequence(frame) + 1, flags));
        };
    }

    /** The server answering ARP for its own address; passes anything else on. */
    private static Answerer arpAnswering(final long mac)
    {
        return frame -> ProbeWire.etherType(frame) == EthernetHeader.ETHERTYPE_ARP ?
            List.of(ProbeWire.arpReply(mac, SERVER, DIRECTOR_MAC, DIRECTOR)) : List.of();
    }

    /** What the far side sends back for one frame the checker sent. */
    @FunctionalInterface
    private interface Answerer extends Function<byte[], List<byte[]>>
    {
        default Function<byte[], List<byte[]>> then(final Function<byte[], List<byte[]>> next)
        {
            return frame ->
            {
                final List<byte[]> all = new ArrayList<>(apply(frame));
                all.addAll(next.apply(frame));
                return all;
            };
        }
    }

    /** /proc/net/route's text as this machine's kernel prints it: addresses are network-order words in native order. */
    private static String routes(final String... lines)
    {
        return "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
            String.join("", lines);
    }

    private static String route(final String device, final String destination, final String gateway,
        final String mask)
    {
        final int flags = Ipv4.parse(gateway) == 0 ? 0x0001 : 0x0003;
        return device + '\t' + word(destination) + '\t' + word(gateway) + '\t' + String.format("%04X", flags) +
            "\t0\t0\t0\t" + word(mask) + "\t0\t0\t0\n";
    }

    private static String word(final String dotted)
    {
        final int address = Ipv4.parse(dotted);
        return String.format("%08X", ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ?
            Integer.reverseBytes(address) : address);
    }

    private static int[] toInts(final byte[] bytes)
    {
        final int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            ints[i] = bytes[i] & 0xFF;
        }
        return ints;
    }

    /**
     * The checker's host: a memory socket per attempt, a manual clock, and the far side answering in idle(). Its
     * answers pass the socket's kernel filter ({@link PathProbeFilter}, run in {@link ClassicBpf}) first, as on
     * Linux, so every case here also proves the filter lets through what the case needs.
     */
    private static final class Network implements ProbeHost
    {
        final List<String> opened = new ArrayList<>();
        final List<MemoryTransport> transports = new ArrayList<>();
        private final RouteTable routes;
        private final Function<byte[], List<byte[]>> farSide;
        private final Random random = new Random(SEED);
        private long nowNs = TimeUnit.DAYS.toNanos(1);
        private int answered;
        private BpfProgram filter;
        boolean vnet;
        TransportException openFailure;
        int refuse;

        Network(final String routes, final Function<byte[], List<byte[]>> farSide)
        {
            this.routes = RouteTable.parse(routes);
            this.farSide = farSide;
        }

        @Override
        public RouteTable routes()
        {
            return routes;
        }

        @Override
        public PacketTransport open(final String interfaceName, final List<VirtualAddress> targets)
        {
            opened.add(interfaceName);
            filter = PathProbeFilter.program(DIRECTOR, targets);
            if (openFailure != null)
            {
                throw openFailure;
            }
            final MemoryTransport transport = MemoryTransport.builder().interfaceName(interfaceName)
                .macAddress(DIRECTOR_MAC).ipv4Address(DIRECTOR).vnetHeader(vnet).build();
            transport.refuseNext(refuse);
            transports.add(transport);
            return transport;
        }

        @Override
        public long nanoTime()
        {
            return nowNs;
        }

        @Override
        public void idle()
        {
            final MemoryTransport transport = transports.get(transports.size() - 1);
            final List<byte[]> sent = transport.sent();
            for (; answered < sent.size(); answered++)
            {
                for (final byte[] answer : farSide.apply(sent.get(answered)))
                {
                    if (ClassicBpf.accepts(filter, answer))
                    {
                        transport.inject(answer, 0);
                    }
                }
            }
            nowNs += STEP_NS;
        }

        @Override
        public int randomInt()
        {
            return random.nextInt();
        }

        /** Every frame the checker sent, in order. */
        List<byte[]> sent()
        {
            return transports.get(transports.size() - 1).sent();
        }
    }
}
