package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.lab.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint on a real kernel without the ipip module: a director namespace sends hand-built IPIP packets to a
 * real-server namespace where the endpoint runs and a UDP echo server listens on the VIP; the echo must come back to
 * the client straight from the VIP, and the real server's kernel must not answer the IPIP with ICMP "protocol
 * unreachable" while the endpoint runs (it does before: that proves the detector). Root only.
 */
class TunnelEndpointLabTest
{
    private static final int ECHO_PORT = 7;
    private static final int CLIENT_PORT = 5000;
    /** Bounds every wait for a packet; a pass never comes near it. */
    private static final int WAIT_MS = 5_000;
    private static final long WAIT_NS = WAIT_MS * 1_000_000L;
    private static final int ECHO_BUFFER_BYTES = 2048;
    private static final int BURST = 64;
    private static final int MEASURED_BURSTS = 32;
    /** Batches of 4: a single object per batch would then cost 512 x 16 bytes over the measured packets. */
    private static final int SMALL_BATCH = 4;
    /**
     * One byte per measured packet: anything allocated per packet, per batch or per call is far above it; a one-off
     * of a few hundred bytes the JIT causes on the thread while it recompiles the loop stays below.
     */
    private static final long MAX_ALLOCATED_BYTES = (long)MEASURED_BURSTS * BURST;

    private static final int VIP = FrameBuilder.address(TunnelLab.VIP);
    private static final int DIRECTOR = FrameBuilder.address(TunnelLab.DIRECTOR_ADDRESS);
    private static final int REAL_SERVER = FrameBuilder.address(TunnelLab.REAL_SERVER_ADDRESS);

    private static byte[] ipip(final FrameBuilder inner)
    {
        return IpipPackets.encapsulate(TunnelLab.DIRECTOR_ADDRESS, TunnelLab.REAL_SERVER_ADDRESS,
            IpipPackets.inner(inner));
    }

    private static FrameBuilder clientUdp(final String payload)
    {
        return FrameBuilder.udp().src(TunnelLab.CLIENT_ADDRESS, CLIENT_PORT).dst(TunnelLab.VIP, ECHO_PORT)
            .payload(payload.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void realServerAnswersTheClientDirectlyFromTheVipAndTheKernelSendsNoProtocolUnreachable() throws Exception
    {
        try (TunnelLab lab = TunnelLab.start())
        {
            lab.realServerSysctl("all", "arp_ignore", 1);
            lab.realServerSysctl("all", "arp_announce", 2);
            lab.realServerSysctl("all", "rp_filter", 1);
            // a device created now starts strict; the endpoint must relax its own TUN device
            lab.realServerSysctl("default", "rp_filter", 1);

            final DatagramChannel echo = NetworkNamespace.call(lab.realServer,
                () -> DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getByName(TunnelLab.VIP),
                    ECHO_PORT)));
            final DatagramChannel client = NetworkNamespace.call(lab.director,
                () -> DatagramChannel.open().bind(new InetSocketAddress(
                    InetAddress.getByName(TunnelLab.CLIENT_ADDRESS), CLIENT_PORT)));
            final int sender = NetworkNamespace.call(lab.director, () -> TestSockets.open(TestSockets.IPPROTO_RAW));
            final int icmp = NetworkNamespace.call(lab.director, () -> TestSockets.open(TestSockets.IPPROTO_ICMP));
            final Thread echoThread = startEcho(echo);
            TunnelEndpoint endpoint = null;
            try
            {
                client.socket().setSoTimeout(WAIT_MS);

                // without the endpoint the kernel answers IPIP with "protocol unreachable": the detector works
                final long unknownBefore = lab.realServerIpStatistic("InUnknownProtos");
                TestSockets.sendPacket(sender, ipip(clientUdp("nobody-home")), REAL_SERVER);
                assertTrue(awaitProtocolUnreachable(icmp), "no ICMP protocol unreachable without the endpoint");
                assertEquals(unknownBefore + 1, lab.realServerIpStatistic("InUnknownProtos"));

                final EndpointOptions options = EndpointOptions.builder().interfaceName(TunnelLab.INTERFACE)
                    .vip(VIP).build();
                endpoint = NetworkNamespace.call(lab.realServer, () -> TunnelEndpoint.open(options));
                final TunnelEndpoint opened = endpoint;
                final String link = lab.realServerLink(opened.tunName());
                assertNotNull(link, "TUN device " + opened.tunName() + " in " + lab.realServer);
                assertTrue(link.contains(",UP") || link.contains("<UP"), link);

                final HostReport strict = NetworkNamespace.call(lab.realServer, opened::checkHost);
                strict.lines().forEach(System.out::println);
                assertEquals(1, strict.problems().size(), () -> String.join("\n", strict.lines()));
                assertTrue(strict.problems().get(0).line().startsWith(
                    "PROBLEM: rp_filter is strict for jlvs-tun0 (all=1, jlvs-tun0=0)"), strict.lines()::toString);

                // loose mode is not enough for a device without an IPv4 address: the check says so...
                lab.realServerSysctl("all", "rp_filter", 2);
                final HostReport loose = NetworkNamespace.call(lab.realServer, opened::checkHost);
                loose.lines().forEach(System.out::println);
                assertEquals(1, loose.problems().size(), () -> String.join("\n", loose.lines()));
                assertTrue(loose.problems().get(0).line().startsWith(
                    "PROBLEM: rp_filter is loose for jlvs-tun0 (all=2, jlvs-tun0=0), but jlvs-tun0 has no IPv4 " +
                    "address"), loose.lines()::toString);
                final AtomicBoolean running = new AtomicBoolean(true);
                final Thread loop = new Thread(() -> opened.run(running), "jlte-endpoint");
                loop.setDaemon(true);
                loop.start();
                try
                {
                    final long unknownWhileRunning = lab.realServerIpStatistic("InUnknownProtos");
                    TestSockets.drainProtocolUnreachables(icmp, REAL_SERVER);

                    // ...and the kernel agrees: it drops the delivered inner packet in its reverse-path filter
                    final long rpFilteredBefore = lab.realServerTcpExtStatistic("IPReversePathFilter");
                    TestSockets.sendPacket(sender, ipip(clientUdp("loose")), REAL_SERVER);
                    awaitCounter(opened, EndpointCounter.DELIVERED, 1);
                    awaitRpFiltered(lab, rpFilteredBefore + 1);

                    lab.realServerSysctl("all", "rp_filter", 0);
                    final HostReport relaxed = NetworkNamespace.call(lab.realServer, opened::checkHost);
                    relaxed.lines().forEach(System.out::println);
                    assertFalse(relaxed.hasProblems(), () -> String.join("\n", relaxed.lines()));
                    assertTrue(relaxed.lines().contains("ok: VIP 198.18.0.200/32 is on lo"));
                    assertTrue(relaxed.lines().contains("ok: rp_filter is off for jlvs-tun0 (all=0, jlvs-tun0=0)"),
                        "the endpoint set its own device to 0 although default.rp_filter was 1");

                    for (int i = 1; i <= 3; i++)
                    {
                        final String payload = "echo-" + i;
                        TestSockets.sendPacket(sender, ipip(clientUdp(payload)), REAL_SERVER);
                        assertEchoFromVip(client, payload);
                    }
                    TestSockets.sendPacket(sender, ipip(clientUdp("partial").partialChecksum()), REAL_SERVER);
                    assertEchoFromVip(client, "partial");

                    TestSockets.sendPacket(sender, ipip(FrameBuilder.udp().src(TunnelLab.CLIENT_ADDRESS, CLIENT_PORT)
                        .dst("198.18.0.201", ECHO_PORT)), REAL_SERVER);
                    awaitCounter(opened, EndpointCounter.DROP_INNER_NOT_VIP, 1);

                    final EndpointCounters counters = opened.counters();
                    System.out.print(counters.describe());
                    assertEquals(6, counters.get(EndpointCounter.RX_PACKETS));
                    assertEquals(5, counters.get(EndpointCounter.DELIVERED));
                    assertEquals(1, counters.get(EndpointCounter.PARTIAL_CHECKSUMS));
                    assertEquals(1, counters.drops());
                    assertEquals(0, counters.get(EndpointCounter.RX_ERRORS));

                    assertEquals(0, TestSockets.drainProtocolUnreachables(icmp, REAL_SERVER),
                        "the kernel answered IPIP with protocol unreachable while the endpoint ran");
                    assertEquals(unknownWhileRunning, lab.realServerIpStatistic("InUnknownProtos"));
                }
                finally
                {
                    running.set(false);
                    loop.join(WAIT_MS);
                }
                assertFalse(loop.isAlive(), "run() returned after the flag was cleared");
                endpoint.close();
                assertNull(lab.realServerLink(opened.tunName()), "closing the endpoint removes its TUN device");
            }
            finally
            {
                if (endpoint != null)
                {
                    endpoint.close();
                }
                echo.close();
                echoThread.join(WAIT_MS);
                client.close();
                TestSockets.close(sender);
                TestSockets.close(icmp);
            }
        }
    }

    @Test
    void deliversWithoutAllocatingPerPacketOrPerBatch() throws Exception
    {
        try (TunnelLab lab = TunnelLab.start())
        {
            final int sender = NetworkNamespace.call(lab.director, () -> TestSockets.open(TestSockets.IPPROTO_RAW));
            final EndpointOptions options = EndpointOptions.builder().interfaceName(TunnelLab.INTERFACE).vip(VIP)
                .batchSize(SMALL_BATCH).build();
            try (TunnelEndpoint endpoint = NetworkNamespace.call(lab.realServer, () -> TunnelEndpoint.open(options)))
            {
                final byte[] packet = ipip(clientUdp("burst"));
                final long[] calls = new long[1];
                deliverBursts(endpoint, sender, packet, 1, calls);
                calls[0] = 0;

                final long allocated = deliverBursts(endpoint, sender, packet, MEASURED_BURSTS, calls);

                final long packets = (long)(1 + MEASURED_BURSTS) * BURST;
                assertEquals(packets, endpoint.counters().get(EndpointCounter.DELIVERED));
                assertTrue(allocated < MAX_ALLOCATED_BYTES, "allocated " + allocated + " bytes delivering " +
                    MEASURED_BURSTS * BURST + " packets in " + calls[0] + " doWork() calls");
            }
            finally
            {
                TestSockets.close(sender);
            }
        }
    }

    /**
     * Sends {@code bursts} bursts and drains each with doWork(), counting the calls in {@code calls[0]}.
     *
     * @return the bytes the thread allocated while draining (sending, which allocates, is not counted).
     */
    private static long deliverBursts(
        final TunnelEndpoint endpoint, final int sender, final byte[] packet, final int bursts, final long[] calls)
    {
        final com.sun.management.ThreadMXBean threads = threads();
        long allocated = 0;
        for (int burst = 0; burst < bursts; burst++)
        {
            for (int i = 0; i < BURST; i++)
            {
                TestSockets.sendPacket(sender, packet, REAL_SERVER);
            }
            final long expected = endpoint.counters().get(EndpointCounter.RX_PACKETS) + BURST;
            final long deadline = System.nanoTime() + WAIT_NS;
            final long before = threads.getCurrentThreadAllocatedBytes();
            long n = 0;
            while (endpoint.counters().get(EndpointCounter.RX_PACKETS) < expected && System.nanoTime() < deadline)
            {
                endpoint.doWork();
                n++;
            }
            allocated += threads.getCurrentThreadAllocatedBytes() - before;
            calls[0] += n;
            assertEquals(expected, endpoint.counters().get(EndpointCounter.RX_PACKETS));
        }
        return allocated;
    }

    private static com.sun.management.ThreadMXBean threads()
    {
        return (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    }

    @Test
    void closeStopsARunningLoopAndRemovesTheTunDevice() throws Exception
    {
        try (TunnelLab lab = TunnelLab.start())
        {
            final EndpointOptions options = EndpointOptions.builder().tunName("jlte%d").strict(true).build();
            final TunnelEndpoint endpoint = NetworkNamespace.call(lab.realServer, () -> TunnelEndpoint.open(options));
            final String tunName = endpoint.tunName();
            assertEquals("jlte0", tunName, "the kernel fills in the %d pattern");
            final HostReport report = NetworkNamespace.call(lab.realServer, endpoint::checkHost);
            assertTrue(report.hasProblems() == !endpoint.mayRun(report), "strict: may run only without problems");
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread loop = new Thread(() -> endpoint.run(running), "jlte-endpoint");
            loop.setDaemon(true);
            loop.start();
            try
            {
                assertNotNull(lab.realServerLink(tunName));

                endpoint.close();

                assertFalse(loop.isAlive(), "close() returns after run() did");
                assertTrue(running.get(), "close() stopped the loop without the flag");
                assertNull(lab.realServerLink(tunName), "closing the endpoint removes its TUN device");
                endpoint.close();
            }
            finally
            {
                running.set(false);
                endpoint.close();
                loop.join(WAIT_MS);
            }
        }
    }

    private static Thread startEcho(final DatagramChannel echo)
    {
        final Thread thread = new Thread(() ->
        {
            final ByteBuffer buffer = ByteBuffer.allocate(ECHO_BUFFER_BYTES);
            try
            {
                while (true)
                {
                    buffer.clear();
                    final java.net.SocketAddress from = echo.receive(buffer);
                    buffer.flip();
                    echo.send(buffer, from);
                }
            }
            catch (final ClosedChannelException ex)
            {
                // the test closed the server: done
            }
            catch (final IOException ex)
            {
                ex.printStackTrace();
            }
        }, "jlte-echo");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void assertEchoFromVip(final DatagramChannel client, final String payload) throws IOException
    {
        final DatagramPacket reply = new DatagramPacket(new byte[ECHO_BUFFER_BYTES], ECHO_BUFFER_BYTES);
        try
        {
            client.socket().receive(reply);
        }
        catch (final SocketTimeoutException ex)
        {
            throw new AssertionError("no echo of '" + payload + "' within " + WAIT_MS + " ms", ex);
        }
        assertEquals(payload, new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII));
        assertEquals(new InetSocketAddress(InetAddress.getByName(TunnelLab.VIP), ECHO_PORT),
            reply.getSocketAddress(), "the real server answers the client directly, from the VIP");
    }

    private static boolean awaitProtocolUnreachable(final int icmp) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (System.nanoTime() < deadline)
        {
            if (TestSockets.drainProtocolUnreachables(icmp, REAL_SERVER) > 0)
            {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static void awaitRpFiltered(final TunnelLab lab, final long expected) throws Exception
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (lab.realServerTcpExtStatistic("IPReversePathFilter") < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(expected, lab.realServerTcpExtStatistic("IPReversePathFilter"),
            "the real server's kernel dropped the inner packet by rp_filter");
    }

    private static void awaitCounter(final TunnelEndpoint endpoint, final EndpointCounter counter, final long value)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (endpoint.counters().get(counter) < value && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(value, endpoint.counters().get(counter), counter.label());
    }
}
