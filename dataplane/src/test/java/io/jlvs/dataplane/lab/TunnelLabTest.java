package io.jlvs.dataplane.lab;

import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.endpoint.EndpointCounter;
import io.jlvs.endpoint.EndpointOptions;
import io.jlvs.endpoint.HostReport;
import io.jlvs.endpoint.TunnelEndpoint;
import io.jlvs.fixtures.Hex;
import io.jlvs.fixtures.IcmpFrames;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TUN (IPIP) forwarding on a namespace lab whose kernel has no ipip module, as the issue checks it: two real servers
 * on the director's segment and one behind a router on another subnet, each running the tunnel endpoint; HTTP through
 * the VIP reaches all three and their answers reach the client straight (never through the director); large
 * transfers over a narrow router link complete through path MTU discovery both ways; fragmented datagrams arrive
 * whole at one server; and the VIP answers ping. Root only.
 */
class TunnelLabTest
{
    private static final int BRIDGE_REAL_SERVERS = 2;
    private static final int CONNECTIONS = 30;
    /** The router's link in the path MTU test: 100 bytes below the lab's 1500. */
    private static final int NARROW_MTU = 1400;
    private static final int LAB_MTU = 1500;
    /** What an IPIP outer header adds: the most the director can carry on a 1500-byte link is 1480. */
    private static final int IPIP_HEADER_BYTES = 20;
    private static final int TRANSFER_BYTES = 4_000_000;
    /**
     * A full-sized TCP payload on a 1500-byte link (1460 less 12 bytes of timestamps): written on its own, it leaves
     * as a plain 1500-byte DF packet. The client's later writes leave as GSO super-frames, which the director cuts
     * into segments that fit the tunnel without a word, so only such a packet is sure to need frag-needed.
     */
    private static final int FULL_SEGMENT_PAYLOAD = 1448;
    /** Twice the MTU: the client's kernel sends it as three fragments. */
    private static final int FRAGMENTED_DATAGRAM_BYTES = 3000;
    private static final int DATAGRAMS = 9;
    private static final int PINGS = 3;
    private static final int PING_IDENTIFIER = 0x4A4C;
    private static final byte[] PING_DATA = "jlvs ping the VIP".getBytes(StandardCharsets.US_ASCII);
    /** Bounds every wait for a frame; a pass never comes near it. */
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long ENDPOINT_STOP_MS = 2_000;
    private static final int ETHERNET_TYPE_OFFSET = 12;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int IP_OFFSET = IcmpFrames.ETHERNET_LENGTH;
    private static final int IP_PROTOCOL_OFFSET = IP_OFFSET + 9;
    private static final int IP_SOURCE_OFFSET = IP_OFFSET + 12;
    private static final int IP_DESTINATION_OFFSET = IP_OFFSET + 16;
    private static final int ICMP_PROTOCOL = 1;
    private static final int ICMP_ECHO_REPLY = 0;
    /** How many captured frames a failure message shows in hex. */
    private static final int SHOWN_FRAMES = 3;
    private static final Pattern ROUTE_MTU = Pattern.compile("\\bmtu (\\d+)");

    private Lab lab;
    private final List<RunningEndpoint> endpoints = new ArrayList<>();
    private LabDirector director;
    private FrameCapture capture;
    /** What reaches the director's interface, for the failure messages of the tests that open it. */
    private FrameCapture directorCapture;

    @BeforeEach
    void requireLab()
    {
        LabRequirements.assumeLabAvailable();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        // the captures, the director and the endpoints hold sockets in the lab's namespaces: they go first
        try
        {
            if (capture != null)
            {
                capture.close();
            }
            if (directorCapture != null)
            {
                directorCapture.close();
            }
            if (director != null)
            {
                director.close();
            }
            for (final RunningEndpoint endpoint : endpoints)
            {
                endpoint.close();
            }
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
    void httpThroughTheVipReachesEveryTunnelServerAndTheirRepliesComeStraightFromThem() throws Exception
    {
        startLab(LabSpec.builder());
        startDirector(VirtualServiceSpec.of(VirtualServiceSpec.TCP, lab.vip(), Lab.HTTP_PORT, "rr",
            allTunnelServers(Lab.HTTP_PORT)));
        capture = FrameCapture.open(lab.clientNamespace());

        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < CONNECTIONS; i++)
        {
            try
            {
                perServer.merge(lab.httpGet("/connection-" + i).trim(), 1, Integer::sum);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("connection " + i + " failed after " + perServer + "; " + diagnostics(), ex);
            }
        }
        assertEquals(Map.of("rs1", 10, "rs2", 10, "rr1", 10), perServer, this::diagnostics);

        final long directorMac = LabAddresses.parseMac(lab.directorMac());
        final long rs1Mac = LabAddresses.parseMac(lab.interfaceMac(lab.realServerNamespace(1), "eth0"));
        final long rs2Mac = LabAddresses.parseMac(lab.interfaceMac(lab.realServerNamespace(2), "eth0"));
        final long routerMac = LabAddresses.parseMac(lab.routerMac());
        // every answer has arrived (the client read it), but the capture thread may not have read its ring yet
        capture.awaitFrames(frame -> isFromVip(frame) && sourceMac(frame) == routerMac, 1, WAIT_NS);
        final List<Frame> fromVip = capture.frames(this::isFromVip);
        final Map<String, Integer> bySourceMac = new TreeMap<>();
        for (final Frame frame : fromVip)
        {
            bySourceMac.merge(LabAddresses.formatMac(sourceMac(frame)), 1, Integer::sum);
        }
        final String seen = "frames from the VIP by source MAC " + bySourceMac + " (director " +
            LabAddresses.formatMac(directorMac) + ", rs1 " + LabAddresses.formatMac(rs1Mac) + ", rs2 " +
            LabAddresses.formatMac(rs2Mac) + ", router " + LabAddresses.formatMac(routerMac) + ")";
        System.out.println(seen);
        final List<Frame> viaDirector = capture.frames(frame -> isFromVip(frame) && sourceMac(frame) == directorMac);
        assertTrue(viaDirector.isEmpty(), () -> "answers came through the director: " + seen + "; first: " +
            viaDirector.get(0).hex() + "; " + diagnostics());
        for (final long mac : new long[] {rs1Mac, rs2Mac, routerMac})
        {
            assertTrue(bySourceMac.containsKey(LabAddresses.formatMac(mac)), () -> seen + "; " + diagnostics());
        }
        assertEquals(fromVip.size(), bySourceMac.getOrDefault(LabAddresses.formatMac(rs1Mac), 0) +
            bySourceMac.getOrDefault(LabAddresses.formatMac(rs2Mac), 0) +
            bySourceMac.getOrDefault(LabAddresses.formatMac(routerMac), 0), seen);
        assertTrue(counter(Counter.TUN_ENCAPSULATED) > 0, this::diagnostics);
        assertEquals(CONNECTIONS, counter(Counter.NEW_CONNECTIONS), this::diagnostics);
        for (final RunningEndpoint endpoint : endpoints)
        {
            assertTrue(endpoint.delivered() > 0, () -> endpoint + " delivered nothing; " + diagnostics());
        }
    }

    @Test
    void largeTransfersCompleteThroughPathMtuDiscoveryOverANarrowRouterLink() throws Exception
    {
        // two clients: once a host has learned a path MTU it advertises the smaller MSS on its next connections,
        // so the other end would never send a packet too large; each direction gets a client of its own
        startLab(LabSpec.builder().clientCount(2).routerLinkMtu(NARROW_MTU));
        startDirector(VirtualServiceSpec.of(VirtualServiceSpec.TCP, lab.vip(), Lab.HTTP_PORT, "rr",
            List.of(tunnel(lab.routedRealServerAddress(1), Lab.HTTP_PORT))));
        directorCapture = FrameCapture.open(lab.directorNamespace());

        // download: rr1 answers straight through the router, which answers its full-sized segments with
        // frag-needed to their source, the VIP: the director must relay that to rr1 through the tunnel
        final byte[] download;
        try
        {
            download = lab.client(2).httpGetBytes(lab.vip(), "/bytes/" + TRANSFER_BYTES);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("download failed; " + diagnostics(), ex);
        }
        assertEquals(TRANSFER_BYTES, download.length, this::diagnostics);
        assertPattern(download);
        assertTrue(counter(Counter.ICMP_RELAYED_TO_SERVER) > 0, this::diagnostics);
        final Integer rr1Learned = routeMtu(lab.routedRealServerNamespace(1),
            LabAddresses.formatIpv4(lab.client(2).address()), LabAddresses.formatIpv4(lab.vip()));
        System.out.println("rr1's path MTU to client 2 after the download: " + rr1Learned);
        assertNotNull(rr1Learned, "rr1 learned no path MTU; " + diagnostics());
        assertTrue(rr1Learned <= NARROW_MTU, "rr1's path MTU " + rr1Learned);

        // upload: the client's full-sized segment does not fit the tunnel; the director answers frag-needed, and the
        // router's frag-needed about the tunnel packets is turned into another one for the client
        final long fragNeededBefore = counter(Counter.ICMP_FRAG_NEEDED_SENT);
        final String answer;
        try
        {
            answer = lab.client(1).httpPost(lab.vip(), "/received", TRANSFER_BYTES, FULL_SEGMENT_PAYLOAD);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("upload failed; " + diagnostics(), ex);
        }
        assertEquals("rr1 " + TRANSFER_BYTES + "\n", answer, this::diagnostics);
        assertTrue(counter(Counter.ICMP_FRAG_NEEDED_SENT) > fragNeededBefore, this::diagnostics);
        final Integer clientLearned = routeMtu(lab.clientNamespace(), LabAddresses.formatIpv4(lab.vip()), null);
        System.out.println("client 1's path MTU to the VIP after the upload: " + clientLearned + "; " +
            diagnostics());
        assertNotNull(clientLearned, "the client learned no path MTU; " + diagnostics());
        assertTrue(clientLearned <= LAB_MTU - IPIP_HEADER_BYTES, "client's path MTU " + clientLearned);
    }

    @Test
    void fragmentedDatagramsToTheVipArriveWholeAtOneServer() throws Exception
    {
        startLab(LabSpec.builder());
        startDirector(VirtualServiceSpec.of(VirtualServiceSpec.UDP, lab.vip(), Lab.UDP_PORT, "rr",
            allTunnelServers(Lab.UDP_PORT)));
        final byte[] payload = new byte[FRAGMENTED_DATAGRAM_BYTES];
        Arrays.fill(payload, (byte)'f');
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < DATAGRAMS; i++)
        {
            try
            {
                // a new socket each time: a new flow, scheduled on its own; only a server that received every
                // fragment can reassemble the datagram and answer it
                perServer.merge(lab.udpRequest(payload), 1, Integer::sum);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("datagram " + i + " got no answer after " + perServer + "; " +
                    diagnostics(), ex);
            }
        }
        // Every datagram answered whole, and rr reached every server (not an exact 3/3/3: an ephemeral source port
        // the kernel happens to reuse is the same UDP flow, rightly sent to the same server again).
        assertEquals(DATAGRAMS, perServer.values().stream().mapToInt(Integer::intValue).sum(), this::diagnostics);
        assertEquals(java.util.Set.of("rs1", "rs2", "rr1"), perServer.keySet(), this::diagnostics);
        assertTrue(counter(Counter.FRAGMENTS_FOLLOWED) + counter(Counter.FRAGMENTS_RELEASED) > 0,
            this::diagnostics);
        System.out.println(diagnostics());
    }

    @Test
    void pingToTheVipIsAnswered() throws Exception
    {
        startLab(LabSpec.builder());
        startDirector(VirtualServiceSpec.of(VirtualServiceSpec.TCP, lab.vip(), Lab.HTTP_PORT, "rr",
            allTunnelServers(Lab.HTTP_PORT)));
        capture = FrameCapture.open(lab.clientNamespace());
        final long directorMac = LabAddresses.parseMac(lab.directorMac());
        final long clientMac = LabAddresses.parseMac(lab.interfaceMac(lab.clientNamespace(), "eth0"));
        final String client = LabAddresses.formatIpv4(lab.clientAddress());
        final String vip = LabAddresses.formatIpv4(lab.vip());

        for (int sequence = 1; sequence <= PINGS; sequence++)
        {
            capture.send(IcmpFrames.echoRequest(directorMac, clientMac, client, vip, PING_IDENTIFIER, sequence,
                PING_DATA));
            final int expected = sequence;
            final Frame reply = capture.awaitFrame(frame -> isEchoReply(frame, lab.vip(), lab.clientAddress()) &&
                echoSequence(frame) == expected, WAIT_NS);
            assertNotNull(reply, () -> "no echo reply " + expected + " from the VIP; " + diagnostics());
            final byte[] bytes = reply.bytes();
            assertEquals(directorMac, sourceMac(reply), reply::hex);
            assertEquals(clientMac, destinationMac(reply), reply::hex);
            assertTrue(IcmpFrames.ipChecksumValid(bytes, IP_OFFSET), reply::hex);
            assertTrue(IcmpFrames.icmpChecksumValid(bytes), reply::hex);
            assertEquals(PING_IDENTIFIER, unsignedShort(bytes, IP_OFFSET + IcmpFrames.IPV4_LENGTH + 4), reply::hex);
            final int dataOffset = IP_OFFSET + IcmpFrames.IPV4_LENGTH + IcmpFrames.ICMP_LENGTH;
            assertArrayEquals(PING_DATA, Arrays.copyOfRange(bytes, dataOffset, dataOffset + PING_DATA.length),
                reply::hex);
        }
        assertTrue(counter(Counter.ICMP_ECHO_REPLIES) >= PINGS, this::diagnostics);
    }

    /**
     * The lab for these tests: {@link #BRIDGE_REAL_SERVERS} real servers on the segment and one behind the router,
     * rp_filter off everywhere (max(all, device) decides, and the endpoint turns off only its own device), and a
     * tunnel endpoint running in each real server.
     */
    private void startLab(final LabSpec.Builder spec) throws Exception
    {
        lab = Lab.start(spec.realServerCount(BRIDGE_REAL_SERVERS).withProbe(false).withRouter(true)
            .sysctl("net.ipv4.conf.all.rp_filter", "0").build());
        final List<String> namespaces = new ArrayList<>();
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            namespaces.add(lab.realServerNamespace(n));
        }
        namespaces.add(lab.routedRealServerNamespace(1));
        for (final String namespace : namespaces)
        {
            final RunningEndpoint endpoint = RunningEndpoint.start(namespace, lab.vip());
            endpoints.add(endpoint);
            final HostReport report = endpoint.checkHost();
            assertFalse(report.hasProblems(), () -> namespace + ":\n" + String.join("\n", report.lines()));
        }
    }

    private void startDirector(final VirtualServiceSpec service) throws Exception
    {
        final String namespace = lab.directorNamespace();
        // the TUN next hops come from the director namespace's routing table, which only a thread inside it sees
        director = LabDirector.start(lab, List.of(service), TransportOptions.of(lab.directorInterface()),
            created -> created.routeReader(() -> NetworkNamespace.call(namespace,
                RouteTable::readCurrentThreadNamespace)));
    }

    private List<RealServerSpec> allTunnelServers(final int port)
    {
        final List<RealServerSpec> servers = new ArrayList<>();
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            servers.add(tunnel(lab.realServerAddress(n), port));
        }
        servers.add(tunnel(lab.routedRealServerAddress(1), port));
        return servers;
    }

    private static RealServerSpec tunnel(final int address, final int port)
    {
        return new RealServerSpec(address, port, 1, 0, 0, ForwardingMethod.TUNNEL);
    }

    private long counter(final Counter counter)
    {
        return director.director.counters().get(counter);
    }

    /** The director's non-zero counters, each endpoint's and the capture's: what a failure prints. */
    private String diagnostics()
    {
        final StringBuilder out = new StringBuilder();
        out.append(director == null ? "no director" : director.diagnostics());
        for (final RunningEndpoint endpoint : endpoints)
        {
            out.append('\n').append(endpoint).append(": ").append(endpoint.counters());
        }
        if (capture != null)
        {
            out.append("\nclient capture: ").append(capture.summary());
        }
        if (directorCapture != null)
        {
            final List<Frame> icmp = directorCapture.frames(frame -> isIpv4(frame) &&
                (frame.bytes()[IP_PROTOCOL_OFFSET] & 0xFF) == ICMP_PROTOCOL);
            out.append("\ndirector capture: ").append(directorCapture.summary()).append(", ").append(icmp.size())
                .append(" ICMP frames received");
            for (int i = 0; i < Math.min(icmp.size(), SHOWN_FRAMES); i++)
            {
                out.append("\n  ").append(icmp.get(i).hex());
            }
        }
        return out.toString();
    }

    /**
     * The path MTU {@code ip route get} reports in {@code namespace} towards {@code destination} (from
     * {@code source} when given), or null when none was learned.
     */
    private Integer routeMtu(final String namespace, final String destination, final String source)
        throws IOException
    {
        final String route = source == null ?
            lab.exec(namespace, "ip", "route", "get", destination) :
            lab.exec(namespace, "ip", "route", "get", destination, "from", source);
        final Matcher matcher = ROUTE_MTU.matcher(route);
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }

    private static void assertPattern(final byte[] body)
    {
        for (int i = 0; i < body.length; i++)
        {
            if (body[i] != (byte)i)
            {
                throw new AssertionError("downloaded byte " + i + " is " + body[i] + ", not " + (byte)i);
            }
        }
    }

    private static boolean isIpv4(final Frame frame)
    {
        return frame.length() >= IP_OFFSET + IcmpFrames.IPV4_LENGTH &&
            unsignedShort(frame.bytes(), ETHERNET_TYPE_OFFSET) == ETHERTYPE_IPV4;
    }

    private boolean isFromVip(final Frame frame)
    {
        return isIpv4(frame) && intAt(frame.bytes(), IP_SOURCE_OFFSET) == lab.vip();
    }

    private static boolean isEchoReply(final Frame frame, final int vip, final int client)
    {
        final byte[] bytes = frame.bytes();
        return isIpv4(frame) && bytes.length >= IP_OFFSET + IcmpFrames.IPV4_LENGTH + IcmpFrames.ICMP_LENGTH &&
            (bytes[IP_PROTOCOL_OFFSET] & 0xFF) == ICMP_PROTOCOL && intAt(bytes, IP_SOURCE_OFFSET) == vip &&
            intAt(bytes, IP_DESTINATION_OFFSET) == client &&
            (bytes[IP_OFFSET + IcmpFrames.IPV4_LENGTH] & 0xFF) == ICMP_ECHO_REPLY;
    }

    private static int echoSequence(final Frame frame)
    {
        return unsignedShort(frame.bytes(), IP_OFFSET + IcmpFrames.IPV4_LENGTH + 6);
    }

    private static long sourceMac(final Frame frame)
    {
        return mac(frame.bytes(), 6);
    }

    private static long destinationMac(final Frame frame)
    {
        return mac(frame.bytes(), 0);
    }

    private static long mac(final byte[] bytes, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (bytes[offset + i] & 0xFF);
        }
        return mac;
    }

    private static int unsignedShort(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static int intAt(final byte[] bytes, final int offset)
    {
        return (unsignedShort(bytes, offset) << 16) | unsignedShort(bytes, offset + 2);
    }

    /** The first bytes of a captured frame and its length on the wire. */
    private record Frame(byte[] bytes, int length)
    {
        String hex()
        {
            return Hex.format(bytes) + (length > bytes.length ? " ... (" + length + " bytes)" : "");
        }
    }

    /**
     * A tunnel endpoint opened inside a real server's namespace (its sockets and TUN device belong there), run on a
     * thread of its own until {@link #close()}.
     */
    private static final class RunningEndpoint implements AutoCloseable
    {
        private final String namespace;
        private final TunnelEndpoint endpoint;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private RunningEndpoint(final String namespace, final TunnelEndpoint endpoint)
        {
            this.namespace = namespace;
            this.endpoint = endpoint;
            // outside the namespace: the loop only uses descriptors, and a thread inside would pin the namespace
            this.thread = new Thread(() -> endpoint.run(running), "jlvs-tunnel-endpoint " + namespace);
            thread.setDaemon(true);
        }

        static RunningEndpoint start(final String namespace, final int vip) throws Exception
        {
            final EndpointOptions options = EndpointOptions.builder().interfaceName(Lab.HOST_INTERFACE).vip(vip)
                .build();
            final RunningEndpoint running = new RunningEndpoint(namespace,
                NetworkNamespace.call(namespace, () -> TunnelEndpoint.open(options)));
            running.thread.start();
            return running;
        }

        /** The endpoint's check of its namespace, read from a thread inside it. */
        HostReport checkHost() throws Exception
        {
            return NetworkNamespace.call(namespace, endpoint::checkHost);
        }

        long delivered()
        {
            return endpoint.counters().get(EndpointCounter.DELIVERED);
        }

        String counters()
        {
            return endpoint.counters().describe().replace('\n', ' ');
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            endpoint.close();
            thread.join(ENDPOINT_STOP_MS);
        }

        @Override
        public String toString()
        {
            return "endpoint in " + namespace;
        }
    }

    /**
     * An AF_PACKET socket on a lab host's eth0 (opened inside its namespace), whose received frames a thread of its
     * own copies into a bounded list, and which can send hand-built frames.
     */
    private static final class FrameCapture implements AutoCloseable
    {
        /** Copied per frame: every header the tests read and the echo data, with room to spare. */
        private static final int COPY_BYTES = 256;
        /** Bounds the memory a run can take; the tests see a few hundred frames. */
        private static final int MAX_FRAMES = 100_000;
        private static final int RECEIVE_BATCH = 64;
        private static final int BLOCK_COUNT = 16;
        private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
        private static final long POLL_MS = 5;
        private static final int TX_BUFFER_BYTES = 64 * 1024;
        private static final int TX_ALIGNMENT = 64;

        private final AfPacketTransport transport;
        private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
        private final AtomicLong received = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final UnsafeBuffer tx = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TX_BUFFER_BYTES,
            TX_ALIGNMENT));
        private final Thread thread;

        private FrameCapture(final AfPacketTransport transport)
        {
            this.transport = transport;
            this.thread = new Thread(this::capture, "jlvs-lab-capture " + transport.interfaceName());
            thread.setDaemon(true);
            thread.start();
        }

        static FrameCapture open(final String namespace) throws Exception
        {
            final TransportOptions options = TransportOptions.builder(Lab.HOST_INTERFACE).vnetHeader(false)
                .blockCount(BLOCK_COUNT).build();
            return new FrameCapture(NetworkNamespace.call(namespace, () -> AfPacketTransport.open(options)));
        }

        void send(final byte[] frame)
        {
            tx.putBytes(0, frame);
            assertTrue(transport.queue(tx.addressOffset(), frame.length), "TX batch full");
            assertEquals(1, transport.flush(), () -> "frame not sent: " + transport.counters());
        }

        List<Frame> frames(final Predicate<Frame> filter)
        {
            final List<Frame> matching = new ArrayList<>();
            for (final Frame frame : frames)
            {
                if (filter.test(frame))
                {
                    matching.add(frame);
                }
            }
            return matching;
        }

        /** Waits, bounded, until {@code count} frames match; returns whether they did. */
        boolean awaitFrames(final Predicate<Frame> filter, final int count, final long timeoutNs)
            throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeoutNs;
            while (frames(filter).size() < count)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
            return true;
        }

        /** The first frame that matches, waiting for it (bounded); null when none came. */
        Frame awaitFrame(final Predicate<Frame> filter, final long timeoutNs) throws InterruptedException
        {
            awaitFrames(filter, 1, timeoutNs);
            final List<Frame> matching = frames(filter);
            return matching.isEmpty() ? null : matching.get(0);
        }

        String summary()
        {
            return received.get() + " frames received, " + transport.counters();
        }

        private void capture()
        {
            while (running.get())
            {
                if (transport.receive(this::onFrame, RECEIVE_BATCH) == 0)
                {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                }
            }
        }

        private void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            if (received.incrementAndGet() <= MAX_FRAMES)
            {
                final byte[] bytes = new byte[Math.min(frameLength, COPY_BYTES)];
                buffer.getBytes(frameOffset, bytes);
                frames.add(new Frame(bytes, frameLength));
            }
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            thread.join(ENDPOINT_STOP_MS);
            transport.close();
        }
    }
}
