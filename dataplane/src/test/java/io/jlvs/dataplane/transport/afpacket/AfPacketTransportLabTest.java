package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.BpfProgram;
import io.jlvs.dataplane.transport.Capture;
import io.jlvs.dataplane.transport.TestFrames;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.TxSlots;
import io.jlvs.dataplane.transport.VethLab;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AF_PACKET transport on real veth pairs between two network namespaces (root only; skipped with a message
 * otherwise, failed when CI=true). Every wait is bounded; nothing asserts a timing. Runs with the TPACKET_V3 ring;
 * {@link AfPacketTransportV2LabTest} runs every case again with the TPACKET_V2 ring.
 */
class AfPacketTransportLabTest
{
    private static final int MTU = 1500;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int UDP_CHECKSUM_FIELD = 6;
    private static final int TCP_PAYLOAD_BYTES = 8 * 1024 * 1024;
    private static final int IP_PROTOCOL_OFFSET = ETHERNET_HEADER + 9;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_TCP = 6;
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The receive stamp's conversion between clocks is good to microseconds; a millisecond is plenty. */
    private static final long RX_STAMP_SLACK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private VethLab lab;
    private int tag;

    @BeforeEach
    void buildLab() throws Exception
    {
        lab = VethLab.create();
        tag = new SecureRandom().nextInt();
    }

    @AfterEach
    void tearDown()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    /** The RX ring the cases run with. */
    TransportOptions.RxRingVersion rxRingVersion()
    {
        return TransportOptions.RxRingVersion.V3;
    }

    private TransportOptions.Builder options(final String interfaceName)
    {
        return TransportOptions.builder(interfaceName).rxRingVersion(rxRingVersion());
    }

    private AfPacketTransport open(final String namespace, final TransportOptions options) throws Exception
    {
        return lab.track(lab.in(namespace, () -> AfPacketTransport.open(options)));
    }

    private AfPacketTransport open(final String namespace, final String name) throws Exception
    {
        return open(namespace, options(name).build());
    }

    private Capture markers()
    {
        return new Capture((buffer, offset, length) -> TestFrames.isMarker(buffer, offset, length, tag));
    }

    private static boolean isIpProtocol(final UnsafeBuffer frame, final int protocol)
    {
        return frame.capacity() > IP_PROTOCOL_OFFSET &&
            (frame.getShort(TestFrames.ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == TestFrames.ETHERTYPE_IPV4 &&
            (frame.getByte(IP_PROTOCOL_OFFSET) & 0xFF) == protocol;
    }

    @Test
    void describesItsInterfaceAsTheKernelSeesItInsideTheNamespace() throws Exception
    {
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);

        assertEquals(VethLab.A_MAIN, a.interfaceName());
        assertEquals(lab.index(lab.nsA(), VethLab.A_MAIN), a.interfaceIndex());
        assertEquals(lab.mac(lab.nsA(), VethLab.A_MAIN), a.macAddress());
        assertEquals(VethLab.A_MAIN_IP, a.ipv4Address());
        assertEquals(MTU, a.mtu());
        assertTrue(a.vnetHeader());
        assertTrue(a.qdiscBypassed());
    }

    @Test
    void framesQueuedOnOneSideArriveOnTheOtherFromOneFlush() throws Exception
    {
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        final int count = 32;
        final TxSlots slots = new TxSlots(count, 128, true);

        for (int i = 0; i < count; i++)
        {
            assertTrue(slots.queue(a, i, TestFrames.marker(b.macAddress(), a.macAddress(), tag, i)));
        }
        final long beforeFlushNs = System.nanoTime();
        assertEquals(count, a.flush());

        final List<Capture.Frame> frames = markers().awaitFrames(b, count);
        assertEquals(count, frames.size());
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, TestFrames.sequence(frames.get(i).bytes));
            // The kernel's wall-clock stamp, converted, falls between the send and the read (give or take the
            // conversion's error, far below the slack): an ordering, not a timing.
            final long rxNs = frames.get(i).rxNs;
            assertTrue(rxNs >= beforeFlushNs - RX_STAMP_SLACK_NS && rxNs <= frames.get(i).seenNs + RX_STAMP_SLACK_NS,
                "frame " + i + " received at " + rxNs + ", flushed from " + beforeFlushNs + ", seen at " +
                frames.get(i).seenNs);
            assertArrayEquals(TestFrames.marker(b.macAddress(), a.macAddress(), tag, i), frames.get(i).bytes);
            assertNotNull(frames.get(i).vnetHeader);
        }
        assertEquals(count, a.counters().txFrames());
        assertEquals((long)count * TestFrames.MIN_FRAME, a.counters().txBytes());
        assertEquals(0, a.counters().txRetries());
        assertTrue(b.counters().rxFrames() >= count);
    }

    @Test
    void awaitFramesSleepsUntilAFrameIsThereAndTimesOutWhenNoneComes() throws Exception
    {
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        markers().drain(b, QUIET_NS);
        b.awaitFrames(TimeUnit.MILLISECONDS.toNanos(1));   // nothing there: returns after its timeout

        final TxSlots slots = new TxSlots(1, 128, true);
        final Thread waiter = new Thread(() -> b.awaitFrames(TimeUnit.MINUTES.toNanos(1)), "await-frames");
        waiter.start();
        assertTrue(slots.queue(a, 0, TestFrames.marker(b.macAddress(), a.macAddress(), tag, 0)));
        assertEquals(1, a.flush());
        // A bound far below the wait asked for: only the frame's arrival can have ended it.
        waiter.join(TimeUnit.SECONDS.toMillis(20));
        assertTrue(!waiter.isAlive(), "awaitFrames did not wake when the frame arrived");
        assertEquals(1, markers().awaitFrames(b, 1).size());
    }

    @Test
    void seesOnlyTheInterfaceItIsBoundTo() throws Exception
    {
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final AfPacketTransport c = open(lab.nsA(), VethLab.A_SIDE);
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        final AfPacketTransport d = open(lab.nsB(), VethLab.B_SIDE);
        final TxSlots slots = new TxSlots(16, 128, true);
        final int sideFrames = 8;
        final int barrier = 1000;

        for (int i = 0; i < sideFrames; i++)
        {
            slots.queue(c, i, TestFrames.marker(d.macAddress(), c.macAddress(), tag, i));
        }
        assertEquals(sideFrames, c.flush());
        assertEquals(sideFrames, markers().awaitFrames(d, sideFrames).size(), "the side frames reached vd");
        slots.queue(a, sideFrames, TestFrames.marker(b.macAddress(), a.macAddress(), tag, barrier));
        assertEquals(1, a.flush());

        final Capture seenByB = markers();
        seenByB.awaitFrames(b, 1);
        seenByB.drain(b, QUIET_NS);
        assertEquals(1, seenByB.frames().size(), "vb's socket saw a frame of vd");
        assertEquals(barrier, TestFrames.sequence(seenByB.frames().get(0).bytes));
    }

    @Test
    void ownTransmissionsAreNeverReadBack() throws Exception
    {
        // The sender goes through the qdisc so that the kernel's taps copy its frames to other sockets as OUTGOING.
        final TransportOptions viaQdisc = options(VethLab.B_MAIN).qdiscBypass(false).build();
        final AfPacketTransport sender = open(lab.nsB(), viaQdisc);
        final AfPacketTransport filtered = open(lab.nsB(), VethLab.B_MAIN);
        final AfPacketTransport unfiltered = open(lab.nsB(),
            options(VethLab.B_MAIN).ignoreOutgoing(false).build());
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final TxSlots slots = new TxSlots(16, 128, true);
        final int count = 8;
        final int barrier = 1000;

        for (int i = 0; i < count; i++)
        {
            slots.queue(sender, i, TestFrames.marker(a.macAddress(), sender.macAddress(), tag, i));
        }
        assertEquals(count, sender.flush());
        assertEquals(count, markers().awaitFrames(a, count).size(), "the frames left on the wire");
        slots.queue(a, count, TestFrames.marker(sender.macAddress(), a.macAddress(), tag, barrier));
        assertEquals(1, a.flush());

        for (final AfPacketTransport transport : List.of(sender, filtered))
        {
            final Capture capture = markers();
            capture.awaitFrames(transport, 1);
            capture.drain(transport, QUIET_NS);
            assertEquals(1, capture.frames().size(), "only the barrier, from " + transport);
            assertEquals(barrier, TestFrames.sequence(capture.frames().get(0).bytes));
        }
        assertTrue(filtered.kernelIgnoresOutgoing());
        final Capture all = markers();
        all.awaitFrames(unfiltered, count + 1);
        assertEquals(count + 1, all.frames().size(), "without the filter the transmissions are visible");
    }

    @Test
    void udpFromThePeerStackArrivesWithAPartialChecksumAndItsVnetHeader() throws Exception
    {
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        final byte[] payload = ("jlvs-udp-" + tag).getBytes(StandardCharsets.US_ASCII);
        final int port = 9;

        try (DatagramSocket socket = lab.in(lab.nsA(), DatagramSocket::new))
        {
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(VethLab.B_MAIN_IP_TEXT),
                port));
        }

        final Capture capture = new Capture((buffer, offset, length) ->
            isIpProtocol(new UnsafeBuffer(buffer, offset, length), IPPROTO_UDP));
        final List<Capture.Frame> frames = capture.awaitFrames(b, 1);
        assertEquals(1, frames.size());
        final Capture.Frame frame = frames.get(0);
        assertEquals(ETHERNET_HEADER + IPV4_HEADER + 8 + payload.length, frame.bytes.length);
        assertTrue(TransportStatus.isChecksumNotReady(frame.status), "status=0x" + Integer.toHexString(frame.status));
        final UnsafeBuffer header = new UnsafeBuffer(frame.vnetHeader);
        assertTrue(VnetHeader.needsChecksum(header, 0));
        assertEquals(ETHERNET_HEADER + IPV4_HEADER, VnetHeader.csumStart(header, 0));
        assertEquals(UDP_CHECKSUM_FIELD, VnetHeader.csumOffset(header, 0));
        assertEquals(VnetHeader.GSO_NONE, VnetHeader.gsoType(header, 0));
    }

    @Test
    void tcpBulkTransferArrivesAsGsoSuperFramesThatLeaveAgainOnlyAsGso() throws Exception
    {
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final ServerSocket server = lab.track(lab.in(lab.nsB(), () ->
            new ServerSocket(0, 1, InetAddress.getByName(VethLab.B_MAIN_IP_TEXT))));
        final AtomicLong received = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream())
            {
                final byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    received.addAndGet(n);
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "tcp-sink");
        reader.setDaemon(true);
        reader.start();
        // Java creates a socket's file descriptor lazily: connect inside namespace A so that it is created there.
        final Socket client = lab.track(lab.in(lab.nsA(), () ->
        {
            final Socket socket = new Socket();
            socket.connect(new InetSocketAddress(VethLab.B_MAIN_IP_TEXT, server.getLocalPort()), 5000);
            return socket;
        }));
        final Thread writer = new Thread(() ->
        {
            try
            {
                try (OutputStream out = client.getOutputStream())
                {
                    final byte[] chunk = new byte[256 * 1024];
                    for (int sent = 0; sent < TCP_PAYLOAD_BYTES; sent += chunk.length)
                    {
                        out.write(chunk);
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "tcp-source");
        writer.setDaemon(true);
        writer.start();

        final Capture superFrames = new Capture((buffer, offset, length) ->
            length > ETHERNET_HEADER + MTU && isIpProtocol(new UnsafeBuffer(buffer, offset, length), IPPROTO_TCP));
        superFrames.awaitFrames(b, 1);
        writer.join(TimeUnit.SECONDS.toMillis(20));
        reader.join(TimeUnit.SECONDS.toMillis(20));
        assertEquals(null, failure.get());
        assertEquals(TCP_PAYLOAD_BYTES, received.get());

        assertTrue(superFrames.frames().size() >= 1, "no frame bigger than the MTU arrived");
        final Capture.Frame big = superFrames.frames().get(0);
        final UnsafeBuffer header = new UnsafeBuffer(big.vnetHeader);
        assertEquals(VnetHeader.GSO_TCPV4, VnetHeader.gsoType(header, 0) & VnetHeader.GSO_TYPE_MASK);
        final int gsoSize = VnetHeader.gsoSize(header, 0);
        assertTrue(gsoSize > 0 && gsoSize <= MTU - IPV4_HEADER - 20, "gso_size=" + gsoSize);
        assertTrue(VnetHeader.needsChecksum(header, 0));
        assertTrue(TransportStatus.isChecksumNotReady(big.status));

        // Back out with its header: the kernel takes it as a GSO super-frame (segmented where a device needs it).
        // First empty a's ring of the transfer's ACKs: a V2 ring holds few frames and would drop the echo if full.
        new Capture((buffer, offset, length) -> false).drain(a, QUIET_NS);
        final TxSlots slots = new TxSlots(2, 128 * 1024, true);
        assertTrue(b.queue(slots.address(0), slots.put(0, big.vnetHeader, big.bytes)));
        assertEquals(1, b.flush());
        final Capture echoed = new Capture((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return Arrays.equals(bytes, big.bytes);
        });
        final List<Capture.Frame> arrived = echoed.awaitFrames(a, 1);
        assertEquals(1, arrived.size(), "the super-frame crossed the veth");
        assertEquals(gsoSize, VnetHeader.gsoSize(new UnsafeBuffer(arrived.get(0).vnetHeader), 0));

        // Without GSO in its header the same frame is bigger than the MTU: the kernel refuses it, and it is counted.
        final byte[] noGso = big.vnetHeader.clone();
        final UnsafeBuffer noGsoHeader = new UnsafeBuffer(noGso);
        VnetHeader.write(noGsoHeader, 0, VnetHeader.flags(header, 0), VnetHeader.GSO_NONE, 0, 0,
            VnetHeader.csumStart(header, 0), VnetHeader.csumOffset(header, 0));
        assertTrue(b.queue(slots.address(1), slots.put(1, noGso, big.bytes)));
        assertEquals(0, b.flush());
        assertEquals(1, b.counters().txErrors());
        assertEquals(Errno.EMSGSIZE, b.counters().txLastErrno());
    }

    @Test
    void shortAndMalformedFramesCanBeSentAndOneTheKernelRefusesIsCountedAlone() throws Exception
    {
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final AfPacketTransport b = open(lab.nsB(), VethLab.B_MAIN);
        final TxSlots slots = new TxSlots(4, 128, true);
        final byte[] shortFrame = Arrays.copyOf(TestFrames.marker(b.macAddress(), a.macAddress(), tag, 1), 22);
        final byte[] truncatedIpv4 = TestFrames.udp(b.macAddress(), a.macAddress(), VethLab.A_MAIN_IP,
            VethLab.B_MAIN_IP, 1, 2, 0);
        final byte[] cutIpv4 = Arrays.copyOf(truncatedIpv4, ETHERNET_HEADER + 8);
        final byte[] lessThanEthernet = new byte[10];
        final byte[] last = TestFrames.marker(b.macAddress(), a.macAddress(), tag, 3);

        slots.queue(a, 0, shortFrame);
        slots.queue(a, 1, cutIpv4);
        slots.queue(a, 2, lessThanEthernet);
        slots.queue(a, 3, last);
        assertEquals(3, a.flush());
        assertEquals(1, a.counters().txErrors());
        assertEquals(Errno.EINVAL, a.counters().txLastErrno());

        final Capture capture = new Capture((buffer, offset, length) ->
            (buffer.getShort(offset + 6) != 0 || buffer.getInt(offset + 8) != 0) &&
            length >= ETHERNET_HEADER && ((TestFrames.isMarker(buffer, offset, length, tag)) ||
            length == shortFrame.length || length == cutIpv4.length));
        final List<Capture.Frame> frames = capture.awaitFrames(b, 3);
        assertEquals(3, frames.size());
        assertArrayEquals(shortFrame, frames.get(0).bytes);
        assertArrayEquals(cutIpv4, frames.get(1).bytes);
        assertArrayEquals(last, frames.get(2).bytes);
    }

    @Test
    void aFanoutGroupKeepsEachFlowOnOneSocketAndSharesTheFlows() throws Exception
    {
        final int group = 1 + new SecureRandom().nextInt(0xFFFE);
        final TransportOptions member = options(VethLab.B_MAIN).fanoutGroupId(group).build();
        final AfPacketTransport b1 = open(lab.nsB(), member);
        final AfPacketTransport b2 = open(lab.nsB(), member);
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final int flows = 64;
        final int framesPerFlow = 4;
        final int firstPort = 20000;
        final int unusedIp = 0xC6120063;
        final TxSlots slots = new TxSlots(flows, 128, true);

        for (int round = 0; round < framesPerFlow; round++)
        {
            for (int flow = 0; flow < flows; flow++)
            {
                slots.queue(a, flow, TestFrames.udp(b1.macAddress(), a.macAddress(), VethLab.A_MAIN_IP, unusedIp,
                    firstPort + flow, tag & 0xFFFF, 8));
            }
            assertEquals(flows, a.flush());
        }

        final Capture.Filter ours = (buffer, offset, length) ->
            isIpProtocol(new UnsafeBuffer(buffer, offset, length), IPPROTO_UDP) &&
            (buffer.getShort(offset + 36, ByteOrder.BIG_ENDIAN) & 0xFFFF) == (tag & 0xFFFF);
        final Capture one = new Capture(ours);
        final Capture two = new Capture(ours);
        final long deadline = System.nanoTime() + Capture.PATIENCE_NS;
        while (one.frames().size() + two.frames().size() < flows * framesPerFlow && System.nanoTime() < deadline)
        {
            one.drain(b1, QUIET_NS);
            two.drain(b2, QUIET_NS);
        }
        assertEquals(flows * framesPerFlow, one.frames().size() + two.frames().size());
        final Map<Integer, Integer> socketOfFlow = new HashMap<>();
        for (final Capture capture : List.of(one, two))
        {
            for (final Capture.Frame frame : capture.frames())
            {
                final int port = new UnsafeBuffer(frame.bytes).getShort(34, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final Integer previous = socketOfFlow.put(port, capture == one ? 1 : 2);
                assertTrue(previous == null || previous == (capture == one ? 1 : 2), "flow " + port + " split");
            }
        }
        assertTrue(one.frames().size() > 0 && two.frames().size() > 0,
            "hash fanout sent all 64 flows to one socket: " + one.frames().size() + "/" + two.frames().size());
    }

    @Test
    void aReceiveFilterKeepsTheFramesItRejectsOutOfTheRing() throws Exception
    {
        final int rejected = 1;
        final int accepted = 2;
        final int tagOffset = TestFrames.PAYLOAD_OFFSET;
        final int sequenceOffset = tagOffset + Integer.BYTES;
        // This run's marker with sequence 2 and nothing else: not even the namespace's own IPv6 chatter.
        final BpfProgram onlyAccepted = BpfProgram.of(
            BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, TestFrames.ETHERTYPE_OFFSET),
            BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 5, TestFrames.ETHERTYPE_EXPERIMENTAL),
            BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, tagOffset),
            BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 3, tag),
            BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, sequenceOffset),
            BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 1, accepted),
            BpfProgram.instruction(BpfProgram.RET_K, 0, 0, -1),
            BpfProgram.instruction(BpfProgram.RET_K, 0, 0, 0));
        final AfPacketTransport filtered = open(lab.nsB(), options(VethLab.B_MAIN).receiveFilter(onlyAccepted).build());
        final AfPacketTransport unfiltered = open(lab.nsB(), VethLab.B_MAIN);
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final TxSlots slots = new TxSlots(2, 128, true);

        // The rejected frame goes first: by the time the accepted one is read, the rejected one would have been too.
        slots.queue(a, 0, TestFrames.marker(filtered.macAddress(), a.macAddress(), tag, rejected));
        slots.queue(a, 1, TestFrames.marker(filtered.macAddress(), a.macAddress(), tag, accepted));
        assertEquals(2, a.flush());

        assertEquals(2, markers().awaitFrames(unfiltered, 2).size(), "both frames reached the interface");
        final Capture everything = new Capture((buffer, offset, length) -> true);
        everything.awaitFrames(filtered, 1);
        everything.drain(filtered, QUIET_NS);
        assertEquals(1, everything.frames().size(), "only the accepted frame, and nothing else, passed the filter");
        assertEquals(accepted, TestFrames.sequence(everything.frames().get(0).bytes));
        assertArrayEquals(TestFrames.marker(filtered.macAddress(), a.macAddress(), tag, accepted),
            everything.frames().get(0).bytes);
    }

    @Test
    void kernelDropsOnAFullRingAreCounted() throws Exception
    {
        final TransportOptions smallRing = options(VethLab.B_MAIN)
            .blockSizeBytes(TransportOptions.MIN_BLOCK_SIZE_BYTES).blockCount(2).build();
        final AfPacketTransport b = open(lab.nsB(), smallRing);
        final AfPacketTransport a = open(lab.nsA(), VethLab.A_MAIN);
        final int batches = 64;
        final int batch = 64;
        final TxSlots slots = new TxSlots(batch, 128, true);

        for (int round = 0; round < batches; round++)
        {
            for (int i = 0; i < batch; i++)
            {
                slots.queue(a, i, TestFrames.marker(b.macAddress(), a.macAddress(), tag, round * batch + i));
            }
            a.flush();
        }
        final long sent = a.counters().txFrames();
        final Capture capture = markers();
        capture.drain(b, QUIET_NS);
        slots.queue(a, 0, TestFrames.marker(b.macAddress(), a.macAddress(), tag, -1));
        assertEquals(1, a.flush());
        capture.awaitFrames(b, capture.frames().size() + 1);

        assertTrue(capture.frames().size() < sent, "the ring held everything: " + capture.frames().size());
        assertTrue(b.counters().rxKernelDrops() > 0, b.counters().toString());
    }

    @Test
    void closeIsIdempotentAndLaterCallsDoNothing() throws Exception
    {
        final AfPacketTransport a = lab.in(lab.nsA(), () -> AfPacketTransport.open(options("va").build()));
        final TxSlots slots = new TxSlots(1, 128, true);

        a.close();
        a.close();

        assertEquals(0, a.receive(markers(), 10));
        slots.queue(a, 0, TestFrames.marker(0, 0, tag, 0));
        assertEquals(0, a.flush());
    }

    @Test
    void openingAMissingInterfaceNamesItAndTheNamespaceRule() throws Exception
    {
        final io.jlvs.dataplane.transport.TransportException ex = org.junit.jupiter.api.Assertions.assertThrows(
            io.jlvs.dataplane.transport.TransportException.class,
            () -> lab.in(lab.nsA(), () -> AfPacketTransport.open(options(VethLab.B_MAIN).build())));

        assertTrue(ex.getMessage().contains("'" + VethLab.B_MAIN + "'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("namespace"), ex.getMessage());
    }
}
