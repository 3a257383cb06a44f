package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import io.jlvs.fixtures.IpipFrames;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static io.jlvs.dataplane.forward.ForwardingDriver.DIRECTOR_IP;
import static io.jlvs.dataplane.forward.ForwardingDriver.DIRECTOR_MAC;
import static io.jlvs.dataplane.forward.ForwardingDriver.VIP;
import static io.jlvs.fixtures.FrameBuilder.ACK;
import static io.jlvs.fixtures.FrameBuilder.SYN;
import static io.jlvs.fixtures.FrameBuilder.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TUN forwarding, ICMP and fragments through the forwarding handler, frame by frame. */
class TunnelForwardingTest
{
    private static final long CLIENT_MAC = 0x02_00_00_00_00_10L;
    private static final long GATEWAY_MAC = 0x02_00_00_00_00_01L;
    private static final long RS_MAC = 0x02_00_00_00_00_11L;
    private static final String GATEWAY = "198.18.0.1";
    /** A real server on another subnet, behind the gateway. */
    private static final String REMOTE_RS = "198.19.1.5";
    private static final String LOCAL_RS = "198.18.0.11";
    /** /proc/net/route of the director: its segment, and 198.19.1.0/24 via the gateway, on mem0. */
    private static final String ROUTES =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
        "mem0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
        "mem0\t000113C6\t010012C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    private static ForwardingDriver tunDirector(final boolean vnet)
    {
        final ForwardingDriver driver = new ForwardingDriver(vnet);
        driver.director.routeReader(() -> RouteTable.parse(ROUTES));
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", List.of(
            new RealServerSpec(address(REMOTE_RS), 80, 1, 0, 0, ForwardingMethod.TUNNEL)))));
        driver.resolve(new long[]{GATEWAY_MAC}, GATEWAY);
        return driver;
    }

    @Test
    void tunWrapsTheClientsPacketForTheServerBehindTheGateway()
    {
        final ForwardingDriver driver = tunDirector(false);
        final byte[] syn = FrameBuilder.tcp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).dst(VIP, 80).flags(SYN)
            .fragmentField(0x4000).build();
        driver.frame(syn, 0);
        final byte[] out = driver.takeOnlySent();
        final ByteBuffer outer = ByteBuffer.wrap(out);
        assertEquals(GATEWAY_MAC, dstMac(out), "the next hop is the gateway, not the server");
        assertEquals(4, out[23] & 0xFF, "protocol IPIP");
        assertEquals(address(DIRECTOR_IP), outer.getInt(26));
        assertEquals(address(REMOTE_RS), outer.getInt(30));
        assertEquals(0x4000, outer.getShort(20) & 0x4000, "DF copied from the inner header");
        assertTrue(FrameBuilder.ipChecksumValid(out), Hex.format(out));
        final byte[] expected = IpipFrames.encapsulate(syn, GATEWAY_MAC, DIRECTOR_MAC, DIRECTOR_IP, REMOTE_RS,
            outer.getShort(18) & 0xFFFF);
        assertArrayEquals(expected, out, () -> "got\n" + Hex.format(out) + "\nexpected\n" + Hex.format(expected));
        assertEquals(1, driver.director.counters().get(Counter.TUN_ENCAPSULATED));
    }

    @Test
    void aDfPacketTooBigForTheTunnelIsAnsweredWithFragmentationNeeded()
    {
        final ForwardingDriver driver = tunDirector(false);
        final FrameBuilder flow = FrameBuilder.tcp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).dst(VIP, 80)
            .fragmentField(0x4000);
        driver.frame(flow.flags(SYN).build(), 0);
        driver.transport.clearSent();
        driver.frame(flow.flags(ACK).payloadLength(1460).build(), 0);
        final byte[] icmp = driver.takeOnlySent();
        assertEquals(CLIENT_MAC, dstMac(icmp), "back to where the packet came from");
        assertEquals(1, icmp[23] & 0xFF, "ICMP");
        assertEquals(3, icmp[34] & 0xFF, "destination unreachable");
        assertEquals(4, icmp[35] & 0xFF, "fragmentation needed");
        assertEquals(1480, ByteBuffer.wrap(icmp).getShort(40) & 0xFFFF, "MTU - 20, as IPVS says");
        assertEquals(address(VIP), ByteBuffer.wrap(icmp).getInt(26), "from the VIP the client talks to");
        assertEquals(1, driver.director.counters().get(Counter.ICMP_FRAG_NEEDED_SENT));
    }

    @Test
    void aPacketWithoutDfTooBigForTheTunnelIsFragmentedThenWrapped()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.routeReader(() -> RouteTable.parse(ROUTES));
        driver.director.apply(List.of(VirtualServiceSpec.of(17, address(VIP), 53, "rr", List.of(
            new RealServerSpec(address(REMOTE_RS), 53, 1, 0, 0, ForwardingMethod.TUNNEL)))));
        driver.resolve(new long[]{GATEWAY_MAC}, GATEWAY);
        driver.frame(FrameBuilder.udp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).dst(VIP, 53).payloadLength(1472)
            .build(), 0);
        final List<byte[]> sent = driver.sent();
        assertEquals(2, sent.size());
        for (final byte[] frame : sent)
        {
            assertTrue(frame.length - 14 <= 1500, "each tunnel packet fits the MTU: " + frame.length);
            assertEquals(4, frame[23] & 0xFF);
            assertTrue(FrameBuilder.ipChecksumValid(frame));
        }
        assertEquals(1, driver.director.counters().get(Counter.TUN_PACKETS_FRAGMENTED));
    }

    @Test
    void aGsoSuperFrameIsCutIntoSegmentsThatFitTheTunnel()
    {
        final ForwardingDriver driver = tunDirector(true);
        final FrameBuilder flow = FrameBuilder.tcp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).dst(VIP, 80)
            .fragmentField(0x4000);
        driver.frame(flow.flags(SYN).build(), 0);
        driver.transport.clearSent();
        final byte[] big = flow.flags(ACK).payloadLength(20_000).partialChecksum().build();
        driver.frameWithVnet(vnet(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 1448, 34, 16), big,
            TransportStatus.CSUM_NOT_READY);
        final List<byte[]> sent = driver.sent();
        assertTrue(sent.size() >= 14, "20000 bytes in segments of at most 1440: " + sent.size());
        int payload = 0;
        for (final byte[] frame : sent)
        {
            assertTrue(frame.length - 14 <= 1500, "fits the wire: " + frame.length);
            final byte[] inner = Arrays.copyOfRange(frame, 20, frame.length);
            System.arraycopy(frame, 0, inner, 0, 14);
            assertTrue(FrameBuilder.transportChecksumValid(inner), "each segment's checksum is complete");
            payload += (ByteBuffer.wrap(inner).getShort(16) & 0xFFFF) - 40;
        }
        assertEquals(20_000, payload);
        assertEquals(1, driver.director.counters().get(Counter.TUN_SUPER_FRAMES_SEGMENTED));
    }

    @Test
    void echoRequestsToTheVipAreAnswered()
    {
        final ForwardingDriver driver = tunDirector(false);
        driver.frame(IcmpFrames.echoRequest(DIRECTOR_MAC, CLIENT_MAC, "198.18.0.10", VIP, 7, 1,
            "ping".getBytes()), 0);
        final byte[] reply = driver.takeOnlySent();
        assertEquals(CLIENT_MAC, dstMac(reply));
        assertEquals(0, reply[34] & 0xFF, "echo reply");
        assertEquals(address(VIP), ByteBuffer.wrap(reply).getInt(26));
        assertEquals(1, driver.director.counters().get(Counter.ICMP_ECHO_REPLIES));
    }

    @Test
    void anIcmpErrorAboutAConnectionGoesToItsRealServer()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", List.of(
            RealServerSpec.route(address(LOCAL_RS), 80, 1)))));
        driver.resolve(new long[]{RS_MAC}, LOCAL_RS);
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000).dst(VIP, 80).flags(SYN).build(), 0);
        driver.transport.clearSent();
        // A router on the way back to the client could not deliver the server's reply (VIP:80 -> client).
        final byte[] reply = FrameBuilder.tcp().src(VIP, 80).dst("198.18.0.10", 40_000).flags(SYN | ACK)
            .fragmentField(0x4000).build();
        final byte[] error = IcmpFrames.error(DIRECTOR_MAC, GATEWAY_MAC, GATEWAY, VIP, 3, 4, 1400,
            IcmpFrames.ipPacket(reply), 28);
        driver.frame(error, 0);
        final byte[] out = driver.takeOnlySent();
        assertEquals(RS_MAC, dstMac(out), "the real server that owns the connection learns the path MTU");
        assertEquals(1, driver.director.counters().get(Counter.ICMP_RELAYED_TO_SERVER));

        final byte[] stranger = FrameBuilder.tcp().src(VIP, 80).dst("198.18.0.99", 1234).flags(ACK).build();
        driver.frame(IcmpFrames.error(DIRECTOR_MAC, GATEWAY_MAC, GATEWAY, VIP, 3, 1, 0,
            IcmpFrames.ipPacket(stranger), 28), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_ICMP_NO_CONNECTION));
    }

    @Test
    void laterFragmentsFollowTheirFirstEvenWhenTheyArriveBeforeIt()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(17, address(VIP), 53, "rr", List.of(
            RealServerSpec.route(address(LOCAL_RS), 53, 1), RealServerSpec.route(address("198.18.0.12"), 53, 1)))));
        driver.resolve(new long[]{RS_MAC, 0x02_00_00_00_00_12L}, LOCAL_RS, "198.18.0.12");
        for (int datagram = 0; datagram < 4; datagram++)
        {
            final byte[] first = FrameBuilder.udp().src("198.18.0.10", 5000 + datagram).dst(VIP, 53).ipId(100 + datagram)
                .fragmentField(0x2000).payloadLength(24).build();
            final byte[] second = FrameBuilder.udp().src("198.18.0.10", 5000 + datagram).dst(VIP, 53)
                .ipId(100 + datagram).fragmentField(0x0004).payloadLength(40).build();
            if (datagram % 2 == 0)
            {
                driver.frame(first, 0);
                driver.frame(second, 0);
            }
            else
            {
                driver.frame(second, 0);
                assertTrue(driver.sent().isEmpty(), "a later fragment waits for its first");
                driver.frame(first, 0);
            }
            final List<byte[]> sent = driver.sent();
            assertEquals(2, sent.size(), "datagram " + datagram);
            assertEquals(dstMac(sent.get(0)), dstMac(sent.get(1)), "both fragments to one server");
            driver.transport.clearSent();
        }
        assertEquals(2, driver.director.counters().get(Counter.FRAGMENTS_HELD));
        assertEquals(2, driver.director.counters().get(Counter.FRAGMENTS_RELEASED));
        assertEquals(2, driver.director.counters().get(Counter.FRAGMENTS_FOLLOWED));
    }

    @Test
    void aRoutersErrorAboutOurTunnelPacketBecomesFragmentationNeededForTheClient()
    {
        final ForwardingDriver driver = tunDirector(false);
        final FrameBuilder flow = FrameBuilder.tcp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).src("198.18.0.10", 41_000)
            .dst(VIP, 80).fragmentField(0x4000);
        driver.frame(flow.flags(SYN).build(), 0);
        driver.transport.clearSent();
        driver.frame(flow.flags(ACK).payloadLength(1400).build(), 0);
        final byte[] tunnelled = driver.takeOnlySent();
        // The router to the server's subnet has a 1400-byte link: it refuses our 1474-byte tunnel packet.
        driver.frame(IcmpFrames.error(DIRECTOR_MAC, GATEWAY_MAC, GATEWAY, DIRECTOR_IP, 3, 4, 1400,
            IcmpFrames.ipPacket(tunnelled), 60), 0);
        final byte[] toClient = driver.takeOnlySent();
        assertEquals(CLIENT_MAC, dstMac(toClient));
        assertEquals(3, toClient[34] & 0xFF);
        assertEquals(4, toClient[35] & 0xFF);
        assertEquals(1380, ByteBuffer.wrap(toClient).getShort(40) & 0xFFFF, "the router's MTU less the tunnel");
        assertEquals(1, driver.director.counters().get(Counter.ICMP_TUNNEL_ERRORS_TO_CLIENT));
    }

    @Test
    void aTunServerWithoutARouteIsRefusedWhole()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.routeReader(() -> RouteTable.parse(ROUTES));
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> driver.director.apply(List.of(VirtualServiceSpec.of(6,
                address(VIP), 80, "rr", List.of(new RealServerSpec(address("203.0.113.9"), 80, 1, 0, 0,
                    ForwardingMethod.TUNNEL))))));
        assertTrue(ex.getMessage().contains("no route"), ex.getMessage());
    }

    private static long dstMac(final byte[] frame)
    {
        final ByteBuffer b = ByteBuffer.wrap(frame);
        return ((b.getShort(0) & 0xFFFFL) << 32) | (b.getInt(2) & 0xFFFF_FFFFL);
    }

    private static byte[] vnet(
        final int flags, final int gsoType, final int gsoSize, final int csumStart, final int csumOffset)
    {
        final ByteBuffer b = ByteBuffer.allocate(VnetHeader.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)flags).put((byte)gsoType).putShort((short)54).putShort((short)gsoSize).putShort((short)csumStart)
            .putShort((short)csumOffset);
        return b.array();
    }
}
