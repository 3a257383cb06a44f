package io.jlvs.dataplane.codec;

import io.jlvs.dataplane.fragment.FragmentTable;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.fixtures.Allocations;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.IcmpFrames;
import io.jlvs.fixtures.IpipFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the forwarding thread calls per frame on the TUN/ICMP/fragment paths allocates nothing: encapsulation (with
 * and without a virtio header), software segmentation and fragmentation, ICMP parsing and building, the fragment
 * table with its hold pool, and route lookups.
 */
class TunnelPathAllocationTest
{
    private static final int ROUNDS = 20_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int WINDOWS = 4;
    private static final int HEADROOM = 64;
    private static final long STEP_NS = 1_000_000;
    private static final int DIRECTOR = FrameBuilder.address("198.18.0.2");
    private static final int REAL_SERVER = FrameBuilder.address("198.18.1.20");

    private final UnsafeBuffer slot = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADROOM + 70_000));
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final IpipEncapsulation ipip = new IpipEncapsulation(1);
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final IcmpErrorParser parser = new IcmpErrorParser();
    private final FragmentTable fragments = new FragmentTable(256, 30 * STEP_NS, 8, 1514, 10 * STEP_NS);
    private final RouteTable routes = RouteTable.parse(
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
        "eth0\t00000000\t010012C6\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
        "eth0\t000012C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");

    private final byte[] syn = FrameBuilder.tcp().fragmentField(0x4000).build();
    private final byte[] superFrame = FrameBuilder.tcp().flags(FrameBuilder.ACK).payloadLength(8000)
        .partialChecksum().build();
    private final byte[] bigUdp = FrameBuilder.udp().payloadLength(4000).build();
    private final byte[] tunnelError = IcmpFrames.error(1, 2, "198.18.9.1", "198.18.0.2", 3, 4, 1400,
        IcmpFrames.ipPacket(IpipFrames.encapsulate(FrameBuilder.tcp().fragmentField(0x4000).build(), 1, 2,
            "198.18.0.2", "198.18.1.20", 9)), 48);
    private final byte[] echo = IcmpFrames.echoRequest(1, 2, "198.18.0.10", "198.18.0.100", 1, 1, new byte[56]);

    private long drive(final int from)
    {
        long sink = 0;
        for (int i = from; i < from + ROUNDS; i++)
        {
            final long now = i * STEP_NS;
            slot.putBytes(HEADROOM, syn);
            sink += ipip.encapsulate(slot, HEADROOM, syn.length, DIRECTOR, REAL_SERVER, 3, 4, 1500);
            slot.putBytes(HEADROOM, syn);
            VnetHeader.write(slot, HEADROOM - VnetHeader.LENGTH, VnetHeader.F_NEEDS_CSUM, 0, 0, 0, 34, 16);
            sink += ipip.encapsulateWithVnet(slot, HEADROOM, syn.length, DIRECTOR, REAL_SERVER, 3, 4, 1500);

            slot.putBytes(HEADROOM, superFrame);
            sink += segmenter.begin(slot, HEADROOM, superFrame.length, VnetHeader.GSO_TCPV4, 1448, 1480);
            int length;
            while ((length = segmenter.next(out, HEADROOM, out.capacity() - HEADROOM)) > 0)
            {
                sink += ipip.encapsulate(out, HEADROOM, length, DIRECTOR, REAL_SERVER, 3, 4, 1500);
            }
            slot.putBytes(HEADROOM, bigUdp);
            sink += fragmenter.begin(slot, HEADROOM, bigUdp.length, 1480);
            while ((length = fragmenter.next(out, HEADROOM, out.capacity() - HEADROOM)) > 0)
            {
                sink += ipip.encapsulate(out, HEADROOM, length, DIRECTOR, REAL_SERVER, 3, 4, 1500);
            }

            slot.putBytes(HEADROOM, tunnelError);
            sink += parser.parse(slot, HEADROOM + 14, tunnelError.length - 14) + parser.clientPort();
            sink += IcmpMessages.writeAnswer(out, 0, 118, 5, 6, parser.icmpType(), parser.icmpCode(),
                IpipEncapsulation.innerMtu(parser.nextHopMtu()), i, slot, parser.embeddedOffset(),
                parser.embeddedLength());
            slot.putBytes(HEADROOM, syn);
            sink += IcmpMessages.writeFragmentationNeeded(out, 0, 118, 5, 6, 1480, i, slot, HEADROOM + 14,
                syn.length - 14);
            slot.putBytes(HEADROOM, echo);
            sink += IcmpMessages.echoReplyInPlace(slot, HEADROOM, echo.length, 6, i);

            final int ipId = i & 0xFFFF;
            sink += fragments.hold(0xC6120010, 0xC6120064, 17, ipId, slot, HEADROOM, echo.length, now);
            fragments.remember(0xC6120010, 0xC6120064, 17, ipId, i & 7, now);
            sink += fragments.release(0xC6120010, 0xC6120064, 17, ipId);
            sink += fragments.lookup(0xC6120010, 0xC6120064, 17, (i - 3) & 0xFFFF, now);
            fragments.recycleReleased();
            sink += fragments.expire(now, 16);

            sink += routes.nextHop(REAL_SERVER + (i & 0xFF)) + routes.find(0xC6120000 + (i & 0xFF));
        }
        return sink;
    }

    @Test
    void perFrameCallsAllocateNothing()
    {
        assumeTrue(Allocations.supported(), "thread allocation accounting unsupported");
        final long[] sink = {0};
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            sink[0] += drive(round * ROUNDS);
        }

        final Allocations.Windows windows =
            Allocations.fewestOver(WINDOWS, window -> sink[0] += drive((WARM_UP_ROUNDS + window) * ROUNDS));

        assertEquals(0, windows.fewest(),
            "bytes allocated per window of " + ROUNDS + " rounds: " + windows.perWindow() + " (sink " + sink[0] + ")");
        assertTrue(fragments.heldReleased() > 0 && fragments.hits() > 0 && fragments.expired() > 0,
            "the run exercised the fragment table");
    }
}
