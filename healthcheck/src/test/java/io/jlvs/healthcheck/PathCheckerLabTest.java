package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.Ipv4;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PATH_CHECK on the lab's wire (root only), run from inside the director namespace with no director there: the
 * checker resolves each real server's MAC itself and sends its SYN for the VIP to it. A real server holds the VIP on
 * lo until the test deletes it; then its check must fail although its own address still answers.
 */
class PathCheckerLabTest
{
    private static final long TIMEOUT_MS = 1_000;
    private static final CheckTiming TIMING = new CheckTiming(0, 1_000, 1_000, 0, false);
    /** Bounds the wait for the server to drop the half-open connection the RST closes: only a lost RST reaches it. */
    private static final long HALF_OPEN_WAIT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_MS = 20;
    private static final long CONNECT_TIMEOUT_MS = 5_000;
    /** The wire is taken as quiet after this long without a frame; a bound, not a timing asserted. */
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_LIMIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int RECEIVE_BATCH = 64;

    @Test
    void drCheckPassesWithTheVipOnLoFailsWithoutItAndPassesOnceItIsBack() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start())
        {
            final String vip = Ipv4.toString(lab.vip()) + "/32";
            final String rs2 = lab.realServerNamespace(2);
            final CheckOutcome first = run(lab, 1);
            final CheckOutcome second = run(lab, 2);
            assertTrue(first.passed(), first::detail);
            assertTrue(second.passed(), second::detail);

            lab.exec(rs2, "ip", "addr", "del", vip, "dev", "lo");
            final CheckOutcome without;
            final CheckOutcome others;
            try
            {
                without = run(lab, 2);
                others = run(lab, 1);
            }
            finally
            {
                lab.exec(rs2, "ip", "addr", "add", vip, "dev", "lo");
            }
            assertEquals(CheckOutcome.fail("PATH_CHECK 198.18.0.100:80 via " + Ipv4.toString(lab.realServerAddress(2)) +
                " (DR): no answer from 198.18.0.100:80 within 1000 ms (does the real server hold the VIP?)"), without);
            assertTrue(others.passed(), others::detail);
            // Its own address answered throughout: a TCP_CHECK could not have told.
            assertEquals("rs2\n", lab.httpGet(lab.realServerAddress(2), "/"));

            final CheckOutcome back = run(lab, 2);
            assertTrue(back.passed(), back::detail);
        }
    }

    @Test
    void answeredSynIsResetSoTheServerKeepsNoHalfOpenConnection() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start())
        {
            // The director's kernel resets the SYN-ACK too, but here nothing answers ARP for the VIP it would go to:
            // only the checker's RST, sent the forwarding way, can close the server's SYN-RECV entry.
            final CheckOutcome outcome = run(lab, 1);
            assertTrue(outcome.passed(), outcome::detail);
            final long deadlineNs = System.nanoTime() + HALF_OPEN_WAIT_NS;
            String halfOpen = synReceived(lab, 1);
            while (!halfOpen.isEmpty() && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(POLL_MS);
                halfOpen = synReceived(lab, 1);
            }
            assertEquals("", halfOpen, "connections left in SYN-RECV on rs1");
        }
    }

    @Test
    void probeSocketReceivesNoneOfTheDirectorsOtherTraffic() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        try (Lab lab = Lab.start())
        {
            final String director = lab.directorNamespace();
            final List<VirtualAddress> targets = List.of(new VirtualAddress(lab.vip(), Lab.HTTP_PORT));
            final PacketTransport probe = NetworkNamespace.call(director,
                () -> ProbeHost.LINUX.open(lab.directorInterface(), targets));
            final PacketTransport everything = NetworkNamespace.call(director, () -> AfPacketTransport.open(
                TransportOptions.builder(lab.directorInterface()).blockSizeBytes(TransportOptions.MIN_BLOCK_SIZE_BYTES)
                    .blockCount(ProbeHost.Linux.RING_BLOCKS).vnetHeader(false).build()));
            try (probe; everything)
            {
                // HTTP from the director to rs1's own address: its segments come from port 80 to a port of the
                // director, as a probe's answer does; only their source address is not the VIP.
                final int server = lab.realServerAddress(1);
                NetworkNamespace.run(director, () -> httpGet(server));
                final Frames all = Frames.drain(everything);
                final Frames probed = Frames.drain(probe);
                assertTrue(all.fromServerPort80(server) > 0, "the exchange crossed the director interface");
                assertEquals(0, probed.count - probed.arp, "the probe socket took " + probed.count + " frames, " +
                    probed.arp + " of them ARP");
            }
        }
    }

    /** One HTTP/1.0 GET to {@code address}:80 read to its end, from the calling thread's namespace. */
    private static void httpGet(final int address) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(InetAddress.getByName(Ipv4.toString(address)), Lab.HTTP_PORT),
                (int)CONNECT_TIMEOUT_MS);
            socket.setSoTimeout((int)CONNECT_TIMEOUT_MS);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        }
    }

    /** The frames a socket held once the wire fell quiet: how many, how many ARP, and a count of one kind. */
    private static final class Frames implements FrameSink
    {
        private final List<byte[]> frames = new ArrayList<>();
        int count;
        int arp;

        static Frames drain(final PacketTransport transport)
        {
            final Frames frames = new Frames();
            final long deadlineNs = System.nanoTime() + DRAIN_LIMIT_NS;
            long quietSinceNs = System.nanoTime();
            while (System.nanoTime() - quietSinceNs < QUIET_NS && System.nanoTime() - deadlineNs < 0)
            {
                if (transport.receive(frames, RECEIVE_BATCH) > 0)
                {
                    quietSinceNs = System.nanoTime();
                }
                else
                {
                    LockSupport.parkNanos(POLL_NS);
                }
            }
            return frames;
        }

        @Override
        public void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            final byte[] frame = new byte[frameLength];
            buffer.getBytes(frameOffset, frame);
            frames.add(frame);
            count++;
            arp += frameLength > EthernetHeader.LENGTH &&
                ProbeWire.etherType(frame) == EthernetHeader.ETHERTYPE_ARP ? 1 : 0;
        }

        int fromServerPort80(final int server)
        {
            int matching = 0;
            for (final byte[] frame : frames)
            {
                if (frame.length >= ProbeWire.SEGMENT_FRAME_LENGTH &&
                    ProbeWire.etherType(frame) == EthernetHeader.ETHERTYPE_IPV4 &&
                    ProbeWire.ipSource(frame, EthernetHeader.LENGTH) == server &&
                    ProbeWire.sourcePort(frame) == Lab.HTTP_PORT)
                {
                    matching++;
                }
            }
            return matching;
        }
    }

    /** One attempt on real server {@code n}'s VIP:80, from a thread inside the director namespace. */
    static CheckOutcome run(final Lab lab, final int n) throws Exception
    {
        final PathCheck config = new PathCheck("lab.conf", 1, lab.realServerAddress(n), ForwardingMethod.DR,
            List.of(new VirtualAddress(lab.vip(), Lab.HTTP_PORT)), TIMEOUT_MS, TIMING);
        final PathChecker checker = new PathChecker(config, PathProbeOptions.FROM_ROUTES);
        return NetworkNamespace.call(lab.directorNamespace(), checker::check);
    }

    private static String synReceived(final Lab lab, final int n) throws IOException
    {
        return lab.exec(lab.realServerNamespace(n), "ss", "-Htn", "state", "syn-recv").trim();
    }
}
