package io.jlvs.dataplane.forward;

import io.jlvs.arp.NeighbourState;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.Hex;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jlvs.dataplane.forward.ForwardingDriver.DIRECTOR_IP;
import static io.jlvs.dataplane.forward.ForwardingDriver.DIRECTOR_MAC;
import static io.jlvs.dataplane.forward.ForwardingDriver.VIP;
import static io.jlvs.fixtures.FrameBuilder.ACK;
import static io.jlvs.fixtures.FrameBuilder.FIN;
import static io.jlvs.fixtures.FrameBuilder.SYN;
import static io.jlvs.fixtures.FrameBuilder.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingHandlerTest
{
    private static final long CLIENT_MAC = 0x02_00_00_00_00_10L;
    private static final String[] RS = {"198.18.0.11", "198.18.0.12", "198.18.0.13"};
    private static final long[] RS_MAC = {0x02_00_00_00_00_11L, 0x02_00_00_00_00_12L, 0x02_00_00_00_00_13L};

    private static List<RealServerSpec> servers(final int... weights)
    {
        final List<RealServerSpec> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++)
        {
            list.add(RealServerSpec.route(address(RS[i]), 80, weights[i]));
        }
        return list;
    }

    private static ForwardingDriver director(final String scheduler, final int... weights)
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, scheduler, servers(weights))));
        driver.resolve(RS_MAC, java.util.Arrays.copyOf(RS, weights.length));
        return driver;
    }

    private static long dstMac(final byte[] frame)
    {
        final ByteBuffer b = ByteBuffer.wrap(frame);
        return ((b.getShort(0) & 0xFFFFL) << 32) | (b.getInt(2) & 0xFFFF_FFFFL);
    }

    private static int serverIndex(final byte[] frame)
    {
        final long mac = dstMac(frame);
        for (int i = 0; i < RS_MAC.length; i++)
        {
            if (RS_MAC[i] == mac)
            {
                return i;
            }
        }
        throw new AssertionError("frame not addressed to a real server:\n" + Hex.format(frame));
    }

    @Test
    void forwardsSynRewritingTheMacAddressesAndTheTtl()
    {
        final ForwardingDriver driver = director("rr", 1);
        final byte[] syn = Hex.parse(
            "02 00 00 00 00 02 02 00 00 00 00 10 08 00 45 00 00 28 00 01 40 00 40 06 ae 3c c6 12 00 0a c6 12" +
            "00 64 9c 40 00 50 00 00 00 01 00 00 00 00 50 02 ff ff 86 be 00 00");
        // Only the MACs change, and the TTL (64 -> 63, checksum patched), as IPVS's decrement_ttl does.
        final byte[] expected = Hex.parse(
            "02 00 00 00 00 11 02 00 00 00 00 02 08 00 45 00 00 28 00 01 40 00 3f 06 af 3c c6 12 00 0a c6 12" +
            "00 64 9c 40 00 50 00 00 00 01 00 00 00 00 50 02 ff ff 86 be 00 00");

        driver.frame(syn, 0);

        final byte[] out = driver.takeOnlySent();
        assertArrayEquals(expected, out, () -> "got\n" + Hex.format(out) + "\nexpected\n" + Hex.format(expected));
        assertEquals(1, driver.director.counters().get(Counter.FORWARDED));
        assertEquals(1, driver.director.counters().get(Counter.NEW_CONNECTIONS));
    }

    @Test
    void independentBuilderAgreesWithTheGoldenSyn()
    {
        final byte[] built = FrameBuilder.tcp().dstMac(DIRECTOR_MAC).srcMac(CLIENT_MAC).src("198.18.0.10", 40_000)
            .dst(VIP, 80).flags(SYN).fragmentField(0x4000).build();
        assertEquals("02 00 00 00 00 02 02 00 00 00 00 10 08 00 45 00 00 28 00 01 40 00 40 06 ae 3c c6 12 00 0a c6 12\n" +
            "00 64 9c 40 00 50 00 00 00 01 00 00 00 00 50 02 ff ff 86 be 00 00".replace("c6 12\n00", "c6 12\n00"),
            Hex.format(built).replace('\n', ' ').replaceFirst("(.{95}) ", "$1\n"));
    }

    @Test
    void spreadsNewConnectionsRoundRobinAndKeepsEachConnectionOnItsServer()
    {
        final ForwardingDriver driver = director("rr", 1, 1, 1);
        final int[] firstServer = new int[9];
        for (int c = 0; c < 9; c++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000 + c).dst(VIP, 80).flags(SYN).build(), 0);
            firstServer[c] = serverIndex(driver.takeOnlySent());
        }
        final int[] perServer = new int[3];
        for (final int s : firstServer)
        {
            perServer[s]++;
        }
        assertArrayEquals(new int[]{3, 3, 3}, perServer);

        for (int round = 0; round < 3; round++)
        {
            for (int c = 0; c < 9; c++)
            {
                driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000 + c).dst(VIP, 80).flags(ACK).build(), 0);
                assertEquals(firstServer[c], serverIndex(driver.takeOnlySent()), "connection " + c);
            }
        }
    }

    @Test
    void followsWrrWeightsThreeTwoOne()
    {
        final ForwardingDriver driver = director("wrr", 3, 2, 1);
        final int[] perServer = new int[3];
        for (int c = 0; c < 60; c++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 30_000 + c).dst(VIP, 80).flags(SYN).build(), 0);
            perServer[serverIndex(driver.takeOnlySent())]++;
        }
        assertArrayEquals(new int[]{30, 20, 10}, perServer);
    }

    @Test
    void dropsAndCountsTcpSegmentWithoutConnection()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.tcp().dst(VIP, 80).flags(ACK).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_NO_CONNECTION));
    }

    @Test
    void ignoresTrafficForOtherAddressesAndPorts()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.tcp().dst("198.18.0.50", 80).flags(SYN).build(), 0);
        driver.frame(FrameBuilder.tcp().dst(VIP, 443).flags(SYN).build(), 0);
        driver.frame(FrameBuilder.udp().dst(VIP, 80).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(3, driver.director.counters().get(Counter.DROP_NOT_FOR_US));
    }

    @Test
    void framesToServicesInTurnEachReachTheirOwnService()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(
            VirtualServiceSpec.of(6, address(VIP), 80, "rr", List.of(RealServerSpec.route(address(RS[0]), 80, 1))),
            VirtualServiceSpec.of(6, address(VIP), 443, "rr", List.of(RealServerSpec.route(address(RS[1]), 443, 1))),
            VirtualServiceSpec.of(17, address(VIP), 443, "rr", List.of(RealServerSpec.route(address(RS[2]), 443, 1)))));
        driver.resolve(RS_MAC, RS);
        for (int port = 0; port < 3; port++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000 + port).dst(VIP, 80).flags(SYN).build(), 0);
            assertEquals(0, serverIndex(driver.takeOnlySent()));
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000 + port).dst(VIP, 443).flags(SYN).build(), 0);
            assertEquals(1, serverIndex(driver.takeOnlySent()));
            driver.frame(FrameBuilder.udp().src("198.18.0.10", 40_000 + port).dst(VIP, 443).build(), 0);
            assertEquals(2, serverIndex(driver.takeOnlySent()));
            driver.frame(FrameBuilder.udp().src("198.18.0.10", 40_000 + port).dst(VIP, 80).build(), 0);
            assertTrue(driver.sent().isEmpty(), "no UDP service on port 80");
        }
        assertEquals(3, driver.director.counters().get(Counter.DROP_NOT_FOR_US));
    }

    @Test
    void aServiceRemovedFromTheTableTakesNoMoreFrames()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000).dst(VIP, 80).flags(SYN).build(), 0);
        assertEquals(0, serverIndex(driver.takeOnlySent()));
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 443, "rr", servers(1))));
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_001).dst(VIP, 80).flags(SYN).build(), 0);
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 40_000).dst(VIP, 80).flags(ACK).build(), 0);
        assertTrue(driver.sent().isEmpty(), "port 80 is no longer a service");
        assertEquals(2, driver.director.counters().get(Counter.DROP_NOT_FOR_US));
    }

    @Test
    void schedulesUdpFlowsAndKeepsThemSticky()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(17, address(VIP), 53, "rr", List.of(
            RealServerSpec.route(address(RS[0]), 53, 1), RealServerSpec.route(address(RS[1]), 53, 1)))));
        driver.resolve(RS_MAC, RS[0], RS[1]);
        driver.frame(FrameBuilder.udp().src("198.18.0.10", 5000).dst(VIP, 53).build(), 0);
        final int first = serverIndex(driver.takeOnlySent());
        driver.frame(FrameBuilder.udp().src("198.18.0.10", 5001).dst(VIP, 53).build(), 0);
        final int second = serverIndex(driver.takeOnlySent());
        driver.frame(FrameBuilder.udp().src("198.18.0.10", 5000).dst(VIP, 53).build(), 0);
        assertEquals(first, serverIndex(driver.takeOnlySent()));
        assertTrue(first != second, "two flows, rr over two servers");
    }

    @Test
    void persistentServiceSendsEveryConnectionOfAClientToOneServer()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(new VirtualServiceSpec(6, List.of(new VirtualAddress(address(VIP), 80)), 0,
            "rr", SchedulerFlags.NONE, 300, 0xFFFF_FFFF, servers(1, 1, 1))));
        driver.resolve(RS_MAC, RS);
        final Map<String, Integer> serverOfClient = new HashMap<>();
        for (final String client : new String[]{"198.18.0.20", "198.18.0.21", "198.18.0.22"})
        {
            for (int port = 0; port < 5; port++)
            {
                driver.frame(FrameBuilder.tcp().src(client, 50_000 + port).dst(VIP, 80).flags(SYN).build(), 0);
                final int server = serverIndex(driver.takeOnlySent());
                assertEquals(serverOfClient.computeIfAbsent(client, k -> server), server, client);
            }
        }
        assertEquals(3, serverOfClient.values().stream().distinct().count(), "rr spreads the three clients");
    }

    @Test
    void newSynOnAClosedConnectionIsScheduledAgain()
    {
        final ForwardingDriver driver = director("rr", 1, 1);
        final FrameBuilder flow = FrameBuilder.tcp().src("198.18.0.10", 41_000).dst(VIP, 80);
        driver.frame(flow.flags(SYN).build(), 0);
        final int first = serverIndex(driver.takeOnlySent());
        driver.frame(flow.flags(ACK).build(), 0);
        driver.frame(flow.flags(FIN | ACK).build(), 0);
        driver.frame(flow.flags(ACK).build(), 0);
        driver.transport.clearSent();
        driver.frame(flow.flags(SYN).build(), 0);
        assertEquals(1 - first, serverIndex(driver.takeOnlySent()), "rescheduled by rr, not stuck on the old entry");
        assertEquals(2, driver.director.counters().get(Counter.NEW_CONNECTIONS));
    }

    @Test
    void answersArpForTheVipOnlyAndLearnsNothingElse()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.arpRequest(CLIENT_MAC, "198.18.0.10", VIP), 0);
        final byte[] reply = driver.takeOnlySent();
        assertArrayEquals(FrameBuilder.arp(2, DIRECTOR_MAC, VIP, CLIENT_MAC, "198.18.0.10", CLIENT_MAC), reply,
            () -> Hex.format(reply));

        driver.frame(FrameBuilder.arpRequest(CLIENT_MAC, "198.18.0.10", "198.18.0.11"), 0);
        driver.frame(FrameBuilder.arpRequest(CLIENT_MAC, "198.18.0.10", DIRECTOR_IP), 0);
        assertTrue(driver.sent().isEmpty(), "only the VIP is answered; the director's own address is the kernel's");
        assertEquals(1, driver.director.counters().get(Counter.ARP_REPLIES));
    }

    @Test
    void probesUnresolvedServersAndAnnouncesTheVip()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1, 1))));
        driver.tick();
        final List<byte[]> sent = driver.sent();
        assertTrue(sent.contains(FrameBuilder.arp(1, DIRECTOR_MAC, VIP, 0, VIP, 0xFFFF_FFFF_FFFFL)) ||
            sent.stream().anyMatch(f -> ByteBuffer.wrap(f).getInt(38) == address(VIP) &&
                ByteBuffer.wrap(f).getInt(28) == address(VIP)), "a gratuitous ARP for the VIP");
        for (final String rs : new String[]{RS[0], RS[1]})
        {
            assertTrue(sent.stream().anyMatch(f -> ByteBuffer.wrap(f).getShort(20) == 1 &&
                ByteBuffer.wrap(f).getInt(38) == address(rs) && ByteBuffer.wrap(f).getInt(28) == address(DIRECTOR_IP)),
                "an ARP request for " + rs);
        }
        assertEquals(2, driver.director.counters().get(Counter.ARP_REQUESTS));
    }

    @Test
    void serverWhoseMacIsUnknownGetsNoConnections()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1, 1))));
        driver.resolve(new long[]{RS_MAC[1]}, RS[1]);
        for (int c = 0; c < 6; c++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 42_000 + c).dst(VIP, 80).flags(SYN).build(), 0);
            assertEquals(1, serverIndex(driver.takeOnlySent()));
        }
    }

    @Test
    void anEstablishedFlowFollowsItsServersNewMacAtOnceAndIsDroppedWhenTheServerStopsAnswering()
    {
        final ForwardingDriver driver = director("rr", 1);
        final long newMac = 0x02_00_00_00_00_21L;
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000).dst(VIP, 80).flags(SYN).build(), 0);
        assertEquals(RS_MAC[0], dstMac(driver.takeOnlySent()));
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000).dst(VIP, 80).flags(ACK).build(), 0);
        assertEquals(RS_MAC[0], dstMac(driver.takeOnlySent()));

        // The server's MAC changes (a new NIC, a failover): the very next frame of the flow goes to the new one.
        driver.frame(FrameBuilder.arpReply(newMac, RS[0], DIRECTOR_MAC, DIRECTOR_IP), 0);
        driver.transport.clearSent();
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000).dst(VIP, 80).flags(ACK).build(), 0);
        assertEquals(newMac, dstMac(driver.takeOnlySent()));

        // It stops answering ARP: once its entry fails, the flow's frames are counted drops, not sent.
        final int rs = address(RS[0]);
        for (int second = 0; second < 120 && driver.director.forwardingHandler().neighbours().state(rs) !=
            NeighbourState.FAILED; second++)
        {
            driver.advance(1, TimeUnit.SECONDS);
            driver.tick();
        }
        assertEquals(NeighbourState.FAILED, driver.director.forwardingHandler().neighbours().state(rs));
        driver.transport.clearSent();
        final long dropsBefore = driver.director.counters().get(Counter.DROP_NO_NEIGHBOUR);
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000).dst(VIP, 80).flags(ACK).build(), 0);
        assertTrue(driver.sent().isEmpty(), "a frame was sent to a server that stopped answering");
        assertEquals(dropsBefore + 1, driver.director.counters().get(Counter.DROP_NO_NEIGHBOUR));

        // It answers again: the flow resumes at once.
        driver.frame(FrameBuilder.arpReply(newMac, RS[0], DIRECTOR_MAC, DIRECTOR_IP), 0);
        driver.transport.clearSent();
        driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000).dst(VIP, 80).flags(ACK).build(), 0);
        assertEquals(newMac, dstMac(driver.takeOnlySent()));
    }

    @Test
    void noAvailableServerIsACountedDrop()
    {
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1))));
        driver.tick();
        driver.transport.clearSent();
        driver.frame(FrameBuilder.tcp().dst(VIP, 80).flags(SYN).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_NO_REAL_SERVER));
    }

    @Test
    void completesPartialChecksumsWhenTheTransportHasNoVnetHeader()
    {
        final ForwardingDriver driver = director("rr", 1);
        final byte[] partial = FrameBuilder.tcp().dst(VIP, 80).flags(SYN).payloadLength(33).partialChecksum().build();
        final byte[] partialUdp = FrameBuilder.udp().dst(VIP, 80).payloadLength(7).partialChecksum().build();
        assertTrue(!FrameBuilder.transportChecksumValid(partial));

        driver.frame(partial, TransportStatus.CSUM_NOT_READY);
        final byte[] out = driver.takeOnlySent();
        assertTrue(FrameBuilder.transportChecksumValid(out), () -> Hex.format(out));
        assertTrue(FrameBuilder.ipChecksumValid(out));
        assertEquals(1, driver.director.counters().get(Counter.CHECKSUMS_COMPLETED));
        assertEquals(1, partialUdp.length > 0 ? 1 : 0);
    }

    @Test
    void passesTheVnetHeaderOnSoTheKernelSegmentsAGsoFrame()
    {
        final ForwardingDriver driver = new ForwardingDriver(true);
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1))));
        driver.resolve(RS_MAC, RS[0]);
        final FrameBuilder flow = FrameBuilder.tcp().dst(VIP, 80);
        driver.frame(flow.flags(SYN).build(), 0);
        driver.transport.clearSent();

        final byte[] big = flow.flags(ACK).payloadLength(20_000).partialChecksum().build();
        final byte[] vnet = vnet(VnetHeader.F_NEEDS_CSUM | VnetHeader.F_DATA_VALID, VnetHeader.GSO_TCPV4, 1448,
            FrameBuilder.l4Offset(), 16);
        driver.frameWithVnet(vnet, big, TransportStatus.CSUM_NOT_READY);

        final byte[] raw = driver.transport.sentRaw().get(0);
        final byte[] expectedVnet = vnet(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 1448, FrameBuilder.l4Offset(), 16);
        assertArrayEquals(expectedVnet, java.util.Arrays.copyOf(raw, VnetHeader.LENGTH));
        assertEquals(VnetHeader.LENGTH + big.length, raw.length);
        assertEquals(0, driver.director.counters().get(Counter.CHECKSUMS_COMPLETED), "the kernel completes it");
    }

    @Test
    void dropsAFrameAboveTheMtuThatCannotBeSegmented()
    {
        final ForwardingDriver driver = director("rr", 1);
        final FrameBuilder flow = FrameBuilder.tcp().dst(VIP, 80);
        driver.frame(flow.flags(SYN).build(), 0);
        driver.transport.clearSent();
        driver.frame(flow.flags(ACK).payloadLength(3000).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_OVERSIZE));
    }

    @Test
    void aBatchOfFramesToServersInTurnCountsEachServersPacketsAndBytesByTheBatchsEnd()
    {
        final ForwardingDriver driver = director("rr", 1, 1);
        final io.jlvs.scheduler.RealServer[] servers = driver.director.table().services().get(0).servers();
        final FrameBuilder a = FrameBuilder.tcp().src("198.18.0.10", 46_000).dst(VIP, 80);
        final FrameBuilder b = FrameBuilder.tcp().src("198.18.0.10", 46_001).dst(VIP, 80);
        driver.frame(a.flags(SYN).build(), 0);
        driver.frame(b.flags(SYN).build(), 0);
        driver.transport.clearSent();
        final long[] packetsBefore = {servers[0].inPackets(), servers[1].inPackets()};
        final long[] bytesBefore = {servers[0].inBytes(), servers[1].inBytes()};
        final byte[] ackA = a.flags(ACK).build();
        final byte[] ackB = b.flags(ACK).payload(new byte[100]).build();

        // Runs of one server's frames, and a run that ends with the batch.
        driver.batch(ackA, ackA, ackB, ackA, ackB, ackB, ackB);

        assertEquals(7, driver.sent().size());
        final long ipA = ackA.length - 14;
        final long ipB = ackB.length - 14;
        final int serverA = serverIndex(driver.sent().get(0));
        final int serverB = 1 - serverA;
        assertEquals(serverB, serverIndex(driver.sent().get(2)), "the two flows were scheduled to different servers");
        assertEquals(packetsBefore[serverA] + 3, servers[serverA].inPackets());
        assertEquals(bytesBefore[serverA] + 3 * ipA, servers[serverA].inBytes());
        assertEquals(packetsBefore[serverB] + 4, servers[serverB].inPackets());
        assertEquals(bytesBefore[serverB] + 4 * ipB, servers[serverB].inBytes());
    }

    @Test
    void countsConnectionsAsIpvsDoesAndKeepsTrafficStatistics()
    {
        final ForwardingDriver driver = director("rr", 1);
        final io.jlvs.scheduler.RealServer server = driver.director.table().services().get(0).servers()[0];
        final FrameBuilder flow = FrameBuilder.tcp().src("198.18.0.10", 45_000).dst(VIP, 80);
        final byte[] syn = flow.flags(SYN).build();
        driver.frame(syn, 0);
        assertEquals(0, server.activeConns(), "a half-open connection is inactive in IPVS");
        assertEquals(1, server.inactiveConns());
        final byte[] ack = flow.flags(ACK).build();
        driver.frame(ack, 0);
        assertEquals(1, server.activeConns(), "ESTABLISHED counts as active");
        assertEquals(0, server.inactiveConns());
        driver.frame(flow.flags(FIN | ACK).build(), 0);
        assertEquals(0, server.activeConns());
        assertEquals(1, server.inactiveConns());
        assertEquals(1, server.connections());
        assertEquals(3, server.inPackets());
        assertEquals(3L * (syn.length - 14), server.inBytes(), "IPVS counts IP bytes");
    }

    @Test
    void maglevSchedulesASegmentOfAConnectionItNeverSawToTheServerItsHashPicks()
    {
        final ForwardingDriver first = director("mh", 1, 1, 1);
        final ForwardingDriver second = director("mh", 1, 1, 1);
        for (int c = 0; c < 12; c++)
        {
            final FrameBuilder flow = FrameBuilder.tcp().src("198.18.0." + (20 + c), 46_000 + c).dst(VIP, 80);
            first.frame(flow.flags(SYN).build(), 0);
            final int scheduledBySyn = serverIndex(first.takeOnlySent());
            // The second director takes over mid-connection: it sees only ACKs.
            second.frame(flow.flags(ACK).build(), 0);
            assertEquals(scheduledBySyn, serverIndex(second.takeOnlySent()), "connection " + c);
        }
        assertEquals(12, second.director.counters().get(Counter.MID_CONNECTION_SCHEDULED));
        second.frame(FrameBuilder.tcp().src("198.18.0.99", 47_000).dst(VIP, 80).flags(FrameBuilder.RST).build(), 0);
        assertTrue(second.sent().isEmpty(), "a RST without a connection is never scheduled");
    }

    @Test
    void quiescedServerKeepsPersistentClientsUnlessExpireQuiescentTemplate()
    {
        for (final boolean expire : new boolean[]{false, true})
        {
            final ForwardingDriver driver = new ForwardingDriver(false, io.jlvs.dataplane.DirectorOptions.defaults()
                .withRingSize(8).withConnectionCapacity(1024).withExpireQuiescentTemplate(expire));
            final VirtualServiceSpec persistent = new VirtualServiceSpec(6,
                List.of(new VirtualAddress(address(VIP), 80)), 0, "rr", SchedulerFlags.NONE, 300, 0xFFFF_FFFF,
                servers(1, 1));
            driver.director.apply(List.of(persistent));
            driver.resolve(RS_MAC, RS[0], RS[1]);
            driver.frame(FrameBuilder.tcp().src("198.18.0.30", 48_000).dst(VIP, 80).flags(SYN).build(), 0);
            final int bound = serverIndex(driver.takeOnlySent());
            final int[] weights = bound == 0 ? new int[]{0, 1} : new int[]{1, 0};
            driver.director.apply(List.of(new VirtualServiceSpec(6, persistent.addresses(), 0, "rr",
                SchedulerFlags.NONE, 300, 0xFFFF_FFFF, servers(weights))));
            driver.frame(FrameBuilder.tcp().src("198.18.0.30", 48_001).dst(VIP, 80).flags(SYN).build(), 0);
            assertEquals(expire ? 1 - bound : bound, serverIndex(driver.takeOnlySent()),
                "expire_quiescent_template=" + expire);
        }
    }

    @Test
    void framesFromAConfiguredPeerDirectorAreNeverScheduledAgain()
    {
        final long peerMac = 0x02_00_00_00_00_03L;
        final ForwardingDriver driver = new ForwardingDriver(false);
        driver.director.apply(List.of(new VirtualServiceSpec(6, List.of(new VirtualAddress(address(VIP), 80)), 0,
            "rr", SchedulerFlags.NONE, 0, 0xFFFF_FFFF, servers(1), List.of(peerMac))));
        driver.resolve(RS_MAC, RS[0]);
        driver.frame(FrameBuilder.tcp().srcMac(peerMac).dst(VIP, 80).flags(SYN).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.PEER_DIRECTOR_FRAMES));
        driver.frame(FrameBuilder.tcp().srcMac(CLIENT_MAC).dst(VIP, 80).flags(SYN).build(), 0);
        assertEquals(0, serverIndex(driver.takeOnlySent()), "clients are still scheduled");
    }

    @Test
    void aHostAnnouncingTheVipIsLearnedAsThePeerDirector()
    {
        final long peerMac = 0x02_00_00_00_00_03L;
        final ForwardingDriver driver = director("rr", 1);
        // keepalived's gratuitous ARP from the other director when it takes the VIP.
        driver.frame(FrameBuilder.arp(1, peerMac, VIP, 0xFFFF_FFFF_FFFFL, VIP, 0xFFFF_FFFF_FFFFL), 0);
        assertEquals(1, driver.director.counters().get(Counter.PEER_DIRECTORS_LEARNED));
        driver.transport.clearSent();
        driver.frame(FrameBuilder.tcp().srcMac(peerMac).dst(VIP, 80).flags(SYN).build(), 0);
        assertTrue(driver.sent().isEmpty(), "the peer's frame is left to this host's stack");
        assertEquals(1, driver.director.counters().get(Counter.PEER_DIRECTOR_FRAMES));
    }

    @Test
    void aFrameThatWouldGoBackToTheHostItCameFromIsCaughtAsALoop()
    {
        final ForwardingDriver driver = new ForwardingDriver(false, io.jlvs.dataplane.DirectorOptions.defaults()
            .withRingSize(8).withConnectionCapacity(1024).withLearnPeerDirectors(false));
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1))));
        driver.resolve(RS_MAC, RS[0]);
        // rs1 is the other director of a pair: it scheduled this connection to us, and rr would send it back.
        driver.frame(FrameBuilder.tcp().srcMac(RS_MAC[0]).dst(VIP, 80).flags(SYN).build(), 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_LOOP));
    }

    @Test
    void aPacketWhoseTtlRunsOutIsAnsweredWithTimeExceeded()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.tcp().srcMac(CLIENT_MAC).dst(VIP, 80).flags(SYN).ttl(1).build(), 0);
        final byte[] icmp = driver.takeOnlySent();
        assertEquals(CLIENT_MAC, ByteBuffer.wrap(icmp).getLong(0) >>> 16);
        assertEquals(11, icmp[34] & 0xFF, "time exceeded");
        assertEquals(1, driver.director.counters().get(Counter.DROP_TTL_EXPIRED));
    }

    @Test
    void dropsFramesWhoseVlanTagTheNicStripped()
    {
        final ForwardingDriver driver = director("rr", 1);
        driver.frame(FrameBuilder.tcp().dst(VIP, 80).flags(SYN).build(), TransportStatus.VLAN_VALID);
        assertTrue(driver.sent().isEmpty());
        assertEquals(1, driver.director.counters().get(Counter.DROP_VLAN));
    }

    @Test
    void idleTicksFlushNothing()
    {
        final ForwardingDriver driver = director("rr", 1);
        final long flushes = driver.director.counters().get(Counter.TX_FLUSHES);
        for (int i = 0; i < 10; i++)
        {
            driver.advance(1, TimeUnit.MILLISECONDS);
            driver.tick();
        }
        assertEquals(flushes, driver.director.counters().get(Counter.TX_FLUSHES));
    }

    @Test
    void countsTruncatedAndMalformedFramesAndKeepsForwarding()
    {
        final ForwardingDriver driver = director("rr", 1);
        final byte[] good = FrameBuilder.tcp().dst(VIP, 80).flags(SYN).build();
        driver.frame(java.util.Arrays.copyOf(good, 10), 0);
        driver.frame(java.util.Arrays.copyOf(good, 30), 0);
        driver.frame(java.util.Arrays.copyOf(good, 40), 0);
        final byte[] badVersion = good.clone();
        badVersion[14] = 0x65;
        driver.frame(badVersion, 0);
        final byte[] badIhl = good.clone();
        badIhl[14] = 0x43;
        driver.frame(badIhl, 0);
        final byte[] lyingLength = good.clone();
        lyingLength[16] = 0x10;
        driver.frame(lyingLength, 0);
        assertTrue(driver.sent().isEmpty());
        assertEquals(4, driver.director.counters().get(Counter.DROP_TRUNCATED));
        assertEquals(2, driver.director.counters().get(Counter.DROP_MALFORMED));

        driver.frame(good, 0);
        assertEquals(1, driver.sent().size());
    }

    @Test
    void randomGarbageIsAlwaysCountedNeverThrown()
    {
        final long seed = Long.getLong("jlvs.test.seed", System.nanoTime());
        final java.util.Random random = new java.util.Random(seed);
        final ForwardingDriver driver = director("rr", 1, 1);
        final byte[] template = FrameBuilder.tcp().dst(VIP, 80).flags(SYN).payloadLength(40).build();
        final int frames = 5_000;
        long decided = decidedOrHeld(driver);
        for (int i = 0; i < frames; i++)
        {
            final byte[] frame = java.util.Arrays.copyOf(template, random.nextInt(template.length + 20));
            for (int flips = random.nextInt(6); flips > 0 && frame.length > 0; flips--)
            {
                frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
            }
            final int status = random.nextBoolean() ? TransportStatus.CSUM_NOT_READY : 0;
            try
            {
                driver.frame(frame, status);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("seed=" + seed + " (rerun with -Djlvs.test.seed=" + seed + "), frame " +
                    Hex.format(frame), ex);
            }
            // A later fragment that came before its first is held (and counted as held) until its first comes or
            // it expires: it is decided then, and counted again.
            final long now = decidedOrHeld(driver);
            assertTrue(now > decided, "neither forwarded, counted nor held, seed=" + seed + " (rerun with " +
                "-Djlvs.test.seed=" + seed + "), status " + status + ", frame " + Hex.format(frame));
            decided = now;
            if (i % 100 == 0)
            {
                driver.advance(1, TimeUnit.SECONDS);
                driver.tick();
                decided = decidedOrHeld(driver);
            }
        }
        // Past every hold timeout: each held fragment was sent after its first or dropped as expired.
        driver.advance(1, TimeUnit.MINUTES);
        driver.tick();
        final long total = decided(driver);
        assertTrue(total >= frames, "every frame forwarded or counted in the end, seed=" + seed + " decided=" + total);
    }

    private static long decidedOrHeld(final ForwardingDriver driver)
    {
        return decided(driver) + driver.director.counters().get(Counter.FRAGMENTS_HELD);
    }

    /** Frames forwarded, answered or dropped with a reason, so far. */
    private static long decided(final ForwardingDriver driver)
    {
        long decided = 0;
        for (final Counter counter : Counter.values())
        {
            if (counter.isDrop() || counter == Counter.FORWARDED || counter == Counter.ARP_REPLIES)
            {
                decided += driver.director.counters().get(counter);
            }
        }
        return decided;
    }

    @Test
    void reloadKeepsEstablishedConnectionsOfServersThatRemain()
    {
        final ForwardingDriver driver = director("rr", 1, 1, 1);
        final int[] server = new int[6];
        for (int c = 0; c < 6; c++)
        {
            final FrameBuilder flow = FrameBuilder.tcp().src("198.18.0.10", 43_000 + c).dst(VIP, 80);
            driver.frame(flow.flags(SYN).build(), 0);
            server[c] = serverIndex(driver.takeOnlySent());
            driver.frame(flow.flags(ACK).build(), 0);
            driver.transport.clearSent();
        }
        driver.director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr", List.of(
            RealServerSpec.route(address(RS[0]), 80, 1), RealServerSpec.route(address(RS[1]), 80, 1)))));
        for (int c = 0; c < 6; c++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.10", 43_000 + c).dst(VIP, 80).flags(ACK).build(), 0);
            assertEquals(server[c], serverIndex(driver.takeOnlySent()), "connection " + c + " kept its server");
        }
        for (int c = 0; c < 6; c++)
        {
            driver.frame(FrameBuilder.tcp().src("198.18.0.11", 44_000 + c).dst(VIP, 80).flags(SYN).build(), 0);
            assertTrue(serverIndex(driver.takeOnlySent()) < 2, "no new connection to the removed server");
        }
    }

    @Test
    void badReloadIsRejectedWholeAndTheOldServicesKeepRunning()
    {
        final ForwardingDriver driver = director("rr", 1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
            driver.director.apply(List.of(
                VirtualServiceSpec.of(6, address(VIP), 80, "rr", servers(1, 1)),
                VirtualServiceSpec.of(6, address(VIP), 80, "nosuch", servers(1)))));
        assertTrue(ex.getMessage().contains("nosuch"), ex.getMessage());
        driver.frame(FrameBuilder.tcp().dst(VIP, 80).flags(SYN).build(), 0);
        assertEquals(0, serverIndex(driver.takeOnlySent()));
        assertEquals(1, driver.director.table().services().get(0).servers().length);
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
