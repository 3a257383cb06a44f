package io.jlvs.dataplane.lab;

import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.lab.KeepAliveClient;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real director on a namespace lab: clients' TCP connections and UDP datagrams to the VIP reach the real servers
 * through jlvs, and the servers answer the clients directly.
 */
class DirectRoutingLabTest
{
    private static final int CONNECTIONS = 60;
    /** Bounds the wait for the last batches to be flushed and recorded; they are in milliseconds. */
    private static final long LATENCY_CATCH_UP_SECONDS = 10;
    private static final long LATENCY_POLL_MS = 20;
    private static final int UDP_FIRST_SOURCE_PORT = 42_000;
    private Lab lab;
    private LabDirector director;

    @BeforeEach
    void buildLab() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start();
    }

    @AfterEach
    void tearDown()
    {
        if (director != null)
        {
            director.close();
        }
        if (lab != null)
        {
            lab.close();
        }
    }

    private void startDirector(final VirtualServiceSpec... services) throws Exception
    {
        director = LabDirector.start(lab, List.of(services));
    }

    private Map<String, Integer> spread(final int connections) throws Exception
    {
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < connections; i++)
        {
            perServer.merge(lab.httpGet("/").trim(), 1, Integer::sum);
        }
        return perServer;
    }

    @Test
    void roundRobinSpreadsSeparateConnectionsEvenlyOverEveryServer() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        assertEquals(Map.of("rs1", 20, "rs2", 20, "rs3", 20), spread(CONNECTIONS));
        assertEquals(CONNECTIONS, director.director.counters().get(Counter.NEW_CONNECTIONS));
        // Every forwarded frame goes into the RX-to-flush latency histogram when its batch is flushed (a count, never
        // a timing): the connections' last frames may still be on their way, so sum intervals until it caught up.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LATENCY_CATCH_UP_SECONDS);
        long recorded = director.director.latency().interval().getTotalCount();
        while (recorded < director.director.counters().get(Counter.FORWARDED) && System.nanoTime() < deadline)
        {
            Thread.sleep(LATENCY_POLL_MS);
            recorded += director.director.latency().interval().getTotalCount();
        }
        assertTrue(recorded >= director.director.counters().get(Counter.FORWARDED),
            "recorded " + recorded + ", " + director.diagnostics());
    }

    @Test
    void weightedRoundRobinFollowsWeightsThreeTwoOne() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "wrr", LabDirector.realServers(lab, 80, 3, 2, 1)));
        assertEquals(Map.of("rs1", 30, "rs2", 20, "rs3", 10), spread(CONNECTIONS));
    }

    @Test
    void longLivedConnectionStaysOnOneServer() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        try (KeepAliveClient client = lab.openKeepAlive())
        {
            final String first = client.get("/").trim();
            for (int i = 0; i < 50; i++)
            {
                assertEquals(first, client.get("/request-" + i).trim());
            }
        }
        assertEquals(1, director.director.counters().get(Counter.NEW_CONNECTIONS));
    }

    @Test
    void clientLearnsTheDirectorsMacForTheVip() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        lab.httpGet("/");
        assertEquals(lab.directorMac(), lab.clientNeighbourMac(lab.vip()));
        assertTrue(director.director.counters().get(Counter.ARP_REPLIES) >= 1);
    }

    @Test
    void arpForTheVipOnAnotherDirectorInterfaceIsNotAnswered() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        // The probe host sits on the director's second interface and believes the VIP is on its link.
        lab.probe().udpSend(lab.vip(), 80, "who has the VIP?".getBytes(StandardCharsets.US_ASCII));
        final long deadline = System.currentTimeMillis() + 3_000;
        String state = "";
        while (System.currentTimeMillis() < deadline)
        {
            state = lab.exec(lab.probeNamespace(), "ip", "neigh", "show", LabAddresses.formatIpv4(lab.vip()));
            if (state.contains("FAILED"))
            {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(!state.contains("lladdr"), "the VIP was resolved on the second interface: " + state);
        assertTrue(state.contains("FAILED") || state.contains("INCOMPLETE"), state);
    }

    @Test
    void udpDatagramsReachTheServersAndFlowsStick() throws Exception
    {
        startDirector(VirtualServiceSpec.of(17, lab.vip(), Lab.UDP_PORT, "rr",
            LabDirector.realServers(lab, Lab.UDP_PORT)));
        // Thirty flows from thirty distinct source ports (ephemeral ports could repeat, and a repeated port is the
        // same UDP connection, rightly sent to the same server), three datagrams each.
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int flow = 0; flow < 30; flow++)
        {
            final int sourcePort = UDP_FIRST_SOURCE_PORT + flow;
            try (DatagramSocket socket = NetworkNamespace.call(lab.clientNamespace(), () ->
            {
                final DatagramSocket opened = new DatagramSocket(new InetSocketAddress(
                    InetAddress.getByName(LabAddresses.formatIpv4(lab.clientAddress())), sourcePort));
                opened.connect(InetAddress.getByName(LabAddresses.formatIpv4(lab.vip())), Lab.UDP_PORT);
                return opened;
            }))
            {
                socket.setSoTimeout(3_000);
                String first = null;
                for (int datagram = 0; datagram < 3; datagram++)
                {
                    final byte[] ping = ("ping " + flow + "/" + datagram).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(ping, ping.length));
                    final DatagramPacket answer = new DatagramPacket(new byte[256], 256);
                    socket.receive(answer);
                    final String server = new String(answer.getData(), 0, answer.getLength(),
                        StandardCharsets.US_ASCII).trim();
                    if (first == null)
                    {
                        first = server;
                        perServer.merge(server, 1, Integer::sum);
                    }
                    assertEquals(first, server, "flow " + flow + " stays on its server");
                }
            }
            catch (final java.io.IOException ex)
            {
                throw new AssertionError("flow " + flow + " got no answer; " + director.diagnostics(), ex);
            }
        }
        assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), perServer);
    }

    @Test
    void largeUploadCrossesTheDirectorAsGsoSuperFramesThatTheKernelSegments() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        final int bodyBytes = 8 << 20;
        final String answer;
        final InetSocketAddress vip =
            new InetSocketAddress(InetAddress.getByName(LabAddresses.formatIpv4(lab.vip())), 80);
        // Java creates a socket's file descriptor lazily, at connect: connect inside the client's namespace.
        try (Socket socket = NetworkNamespace.call(lab.clientNamespace(), () ->
        {
            final Socket opened = new Socket();
            opened.connect(vip, 3_000);
            return opened;
        }))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: vip\r\nContent-Length: " + bodyBytes +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < bodyBytes; sent += chunk.length)
            {
                out.write(chunk);
            }
            out.flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
        catch (final java.io.IOException ex)
        {
            throw new AssertionError("upload failed; " + director.diagnostics(), ex);
        }
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.trim().endsWith("rs1") || answer.trim().endsWith("rs2") || answer.trim().endsWith("rs3"), answer);
        assertEquals(0, director.director.counters().get(Counter.DROP_OVERSIZE), director.diagnostics());
        assertTrue(director.director.counters().get(Counter.SUPER_FRAMES_FORWARDED) > 0,
            "veth passes the client's TSO segments whole; " + director.diagnostics());
    }

    @Test
    void withoutVnetHeadersPartialChecksumsAreCompletedInSoftware() throws Exception
    {
        director = LabDirector.start(lab,
            List.of(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80))),
            TransportOptions.builder(lab.directorInterface()).vnetHeader(false).build());
        assertEquals(Map.of("rs1", 4, "rs2", 4, "rs3", 4), spread(12), director.diagnostics());
        assertTrue(director.director.counters().get(Counter.CHECKSUMS_COMPLETED) > 0,
            "veth hands the client's segments over with partial checksums; " + director.diagnostics());
    }

    @Test
    void malformedAndTruncatedFramesAreCountedAndForwardingGoesOn() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        final long directorMac = LabAddresses.parseMac(lab.directorMac());
        final long clientMac = LabAddresses.parseMac(lab.interfaceMac(lab.clientNamespace(), "eth0"));
        final String vip = LabAddresses.formatIpv4(lab.vip());
        final byte[] good = FrameBuilder.tcp().dstMac(directorMac).srcMac(clientMac).dst(vip, 80).flags(FrameBuilder.SYN)
            .build();
        final byte[] badVersion = good.clone();
        badVersion[14] = 0x65;
        final byte[] lyingLength = good.clone();
        lyingLength[16] = 0x7F;
        final byte[] shortIp = java.util.Arrays.copyOf(good, 20);
        final byte[] shortTcp = java.util.Arrays.copyOf(good, 44);
        final byte[][] garbage = {badVersion, lyingLength, shortIp, shortTcp};

        final long truncatedBefore = director.director.counters().get(Counter.DROP_TRUNCATED);
        final long malformedBefore = director.director.counters().get(Counter.DROP_MALFORMED);
        try (AfPacketTransport attacker = NetworkNamespace.call(lab.clientNamespace(),
            () -> AfPacketTransport.open(TransportOptions.builder("eth0").vnetHeader(false).build())))
        {
            final UnsafeBuffer tx = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
            for (int round = 0; round < 25; round++)
            {
                int offset = 0;
                for (final byte[] frame : garbage)
                {
                    tx.putBytes(offset, frame);
                    attacker.queue(tx.addressOffset() + offset, Math.max(frame.length, 14));
                    offset += 128;
                }
                attacker.flush();
            }
            assertEquals(100, attacker.counters().txFrames(), attacker.counters().toString());
        }
        final long deadline = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < deadline &&
            director.director.counters().get(Counter.DROP_TRUNCATED) - truncatedBefore < 75)
        {
            Thread.sleep(20);
        }
        // Short frames are padded to 60 bytes on the wire, so the 20-byte one arrives as an IP header cut short.
        assertEquals(75, director.director.counters().get(Counter.DROP_TRUNCATED) - truncatedBefore);
        assertEquals(25, director.director.counters().get(Counter.DROP_MALFORMED) - malformedBefore);
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), spread(6));
        assertEquals(null, director.director.failure());
    }
}
