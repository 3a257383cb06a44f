package io.jlvs.bench.harness;

import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.lab.LabAddresses;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The frames the generator sends, built once (with the fixtures' {@link FrameBuilder}, whose checksums are
 * independent of the dataplane's) into one block of native memory that {@code sendmmsg} reads in place.
 * <p>
 * Three sets: the steady frames of the mixed workload (4096 flows from 64 source addresses and 64 source ports each,
 * every fourth flow TCP: an ACK whose data fills the frame; the others UDP), the SYNs that open those TCP flows,
 * sent before the steady frames because a director drops a TCP segment without a connection (as IPVS does), and
 * the SYN flood, one SYN per source port that {@link #readdressNextPass()} moves to a new source address on every
 * pass, so that every SYN of a run is a new connection. Every frame goes to the VIP's {@link #BENCH_PORT} from
 * source addresses in 198.18.0.0/15 outside the lab's /24: the real servers have no route back, so nothing
 * answers.
 */
final class GeneratorFrames
{
    /** Ethernet's minimum frame without its FCS: a "64-byte frame" on a wire, 60 bytes through a packet socket. */
    static final int SMALL_FRAME_BYTES = EthernetHeader.MIN_FRAME_LENGTH;
    /** A whole 1500-byte IP packet (the lab's MTU) in its Ethernet header. */
    static final int LARGE_FRAME_BYTES = EthernetHeader.LENGTH + 1500;
    /** The discard port: the services listen here, and the real servers drop what arrives (see the harness). */
    static final int BENCH_PORT = 9;
    /** Mixed workload: 64 source addresses x 64 source ports = 4096 flows, enough to spread over any scheduler. */
    static final int MIXED_SOURCE_ADDRESSES = 64;
    static final int MIXED_PORTS_PER_ADDRESS = 64;
    static final int MIXED_FLOWS = MIXED_SOURCE_ADDRESSES * MIXED_PORTS_PER_ADDRESS;
    /** One flow in four is TCP, the rest UDP. */
    static final int TCP_FLOW_EVERY = 4;
    /** 198.18.64.0/26: inside RFC 2544's range, outside every lab subnet, so that no host routes an answer. */
    static final int MIXED_SOURCE_BASE = LabAddresses.ipv4(198, 18, 64, 0);
    static final int MIXED_FIRST_PORT = 20_000;
    /** 198.18.128.0/18: the SYN flood's sources, one per pass over the ports; 16384 passes before a tuple repeats. */
    static final int SYN_SOURCE_BASE = LabAddresses.ipv4(198, 18, 128, 0);
    static final int SYN_SOURCE_ADDRESSES = 1 << 14;
    /** Every unprivileged port is a new tuple in a pass. */
    static final int SYN_FIRST_PORT = 1024;
    static final int SYN_PORTS = (1 << 16) - SYN_FIRST_PORT;

    /** A slot holds the largest frame; 2048 keeps every frame on its own cache lines. */
    private static final int SLOT_BYTES = 2048;
    private static final int CACHE_LINE_BYTES = 64;
    private static final int IP_OFFSET = EthernetHeader.LENGTH;
    private static final int TCP_OFFSET = IP_OFFSET + Ipv4Header.MIN_LENGTH;
    private static final int UDP_HEADER_BYTES = 8;
    private static final int SHORT_MASK = 0xFFFF;
    /** TCP sequence numbers of the flows: any will do, IPVS's input-only state machine looks at flags. */
    private static final int CLIENT_SEQUENCE = 1;
    private static final int SERVER_SEQUENCE = 1;

    private final UnsafeBuffer memory;
    private final int[] lengths;
    private final boolean readdressEachPass;
    private int currentSource;
    /** Passes so far, over every run that used these frames: a tuple repeats only after 16384 passes. */
    private long pass;

    private GeneratorFrames(final byte[][] frames, final boolean readdressEachPass, final int currentSource)
    {
        this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frames.length * SLOT_BYTES,
            CACHE_LINE_BYTES));
        this.lengths = new int[frames.length];
        this.readdressEachPass = readdressEachPass;
        this.currentSource = currentSource;
        for (int i = 0; i < frames.length; i++)
        {
            memory.putBytes(i * SLOT_BYTES, frames[i]);
            lengths[i] = frames[i].length;
        }
    }

    /** The mixed workload's steady frames, {@code frameBytes} each ({@link #SMALL_FRAME_BYTES} or larger). */
    static GeneratorFrames mixed(final int frameBytes, final long srcMac, final long dstMac, final int vip)
    {
        final int udpPayload = frameBytes - (IP_OFFSET + Ipv4Header.MIN_LENGTH + UDP_HEADER_BYTES);
        final int tcpPayload = Math.max(0, frameBytes - (TCP_OFFSET + TcpHeader.MIN_LENGTH));
        final byte[][] frames = new byte[MIXED_FLOWS][];
        for (int flow = 0; flow < MIXED_FLOWS; flow++)
        {
            final FrameBuilder builder = isTcpFlow(flow) ?
                FrameBuilder.tcp().flags(tcpPayload > 0 ? FrameBuilder.ACK | FrameBuilder.PSH : FrameBuilder.ACK)
                    .sequence(CLIENT_SEQUENCE + 1, SERVER_SEQUENCE + 1).payloadLength(tcpPayload) :
                FrameBuilder.udp().payloadLength(udpPayload);
            frames[flow] = padded(builder.srcMac(srcMac).dstMac(dstMac)
                .src(LabAddresses.formatIpv4(mixedSource(flow)), mixedPort(flow))
                .dst(LabAddresses.formatIpv4(vip), BENCH_PORT).build(), frameBytes);
        }
        return new GeneratorFrames(frames, false, 0);
    }

    /** The SYNs that open the mixed workload's TCP flows, one per flow. */
    static GeneratorFrames mixedSyns(final long srcMac, final long dstMac, final int vip)
    {
        final byte[][] frames = new byte[MIXED_FLOWS / TCP_FLOW_EVERY][];
        int next = 0;
        for (int flow = 0; flow < MIXED_FLOWS; flow++)
        {
            if (isTcpFlow(flow))
            {
                frames[next++] = syn(srcMac, dstMac, mixedSource(flow), mixedPort(flow), vip);
            }
        }
        return new GeneratorFrames(frames, false, 0);
    }

    /** One SYN per source port from the first SYN source address; {@link #readdressNextPass()} moves them on. */
    static GeneratorFrames synFlood(final long srcMac, final long dstMac, final int vip)
    {
        final byte[][] frames = new byte[SYN_PORTS][];
        for (int i = 0; i < SYN_PORTS; i++)
        {
            frames[i] = syn(srcMac, dstMac, SYN_SOURCE_BASE, SYN_FIRST_PORT + i, vip);
        }
        return new GeneratorFrames(frames, true, SYN_SOURCE_BASE);
    }

    static boolean isTcpFlow(final int flow)
    {
        return flow % TCP_FLOW_EVERY == TCP_FLOW_EVERY - 1;
    }

    static int mixedSource(final int flow)
    {
        return MIXED_SOURCE_BASE + flow % MIXED_SOURCE_ADDRESSES;
    }

    static int mixedPort(final int flow)
    {
        return MIXED_FIRST_PORT + flow / MIXED_SOURCE_ADDRESSES;
    }

    /** The SYN flood's source address in pass {@code pass}. */
    static int synSource(final long pass)
    {
        return SYN_SOURCE_BASE + (int)(pass % SYN_SOURCE_ADDRESSES);
    }

    int count()
    {
        return lengths.length;
    }

    /** Native address of frame {@code i}, for the transport's zero-copy {@code queue}. */
    long address(final int i)
    {
        return memory.addressOffset() + (long)i * SLOT_BYTES;
    }

    int length(final int i)
    {
        return lengths[i];
    }

    /** Whether every pass over the frames must start with {@link #readdressNextPass()} (the SYN flood). */
    boolean readdressEachPass()
    {
        return readdressEachPass;
    }

    /** Moves every frame to the next pass's source address (see {@link #readdress}). */
    void readdressNextPass()
    {
        pass++;
        readdress(pass);
    }

    /**
     * Gives every frame the source address of pass {@code toPass}, updating the IPv4 and TCP checksums incrementally
     * (RFC 1624): a few writes per frame, so that a pass of 64 512 frames costs well under a millisecond. Call only
     * when no frame is queued on a transport (after a flush).
     */
    void readdress(final long toPass)
    {
        final int source = synSource(toPass);
        final int oldHigh = currentSource >>> 16;
        final int oldLow = currentSource & SHORT_MASK;
        final int newHigh = source >>> 16;
        final int newLow = source & SHORT_MASK;
        for (int i = 0; i < lengths.length; i++)
        {
            final int frame = i * SLOT_BYTES;
            memory.putInt(frame + IP_OFFSET + Ipv4Header.SRC_ADDR_OFFSET, source, ByteOrder.BIG_ENDIAN);
            final int ipChecksum = frame + IP_OFFSET + Ipv4Header.CHECKSUM_OFFSET;
            memory.putShort(ipChecksum, (short)adjust(adjust(memory.getShort(ipChecksum, ByteOrder.BIG_ENDIAN),
                oldHigh, newHigh), oldLow, newLow), ByteOrder.BIG_ENDIAN);
            final int tcpChecksum = frame + TCP_OFFSET + TcpHeader.CHECKSUM_OFFSET;
            memory.putShort(tcpChecksum, (short)adjust(adjust(memory.getShort(tcpChecksum, ByteOrder.BIG_ENDIAN),
                oldHigh, newHigh), oldLow, newLow), ByteOrder.BIG_ENDIAN);
        }
        currentSource = source;
    }

    /** A copy of frame {@code i}, for tests. */
    byte[] frame(final int i)
    {
        final byte[] copy = new byte[lengths[i]];
        memory.getBytes(i * SLOT_BYTES, copy);
        return copy;
    }

    /** RFC 1624, eqn. 3: the checksum after one 16-bit word of the summed data changed, HC' = ~(~HC + ~m + m'). */
    static int adjust(final int checksum, final int oldWord, final int newWord)
    {
        int sum = (~checksum & SHORT_MASK) + (~oldWord & SHORT_MASK) + (newWord & SHORT_MASK);
        sum = (sum & SHORT_MASK) + (sum >>> 16);
        sum = (sum & SHORT_MASK) + (sum >>> 16);
        return ~sum & SHORT_MASK;
    }

    private static byte[] syn(final long srcMac, final long dstMac, final int source, final int port, final int vip)
    {
        return padded(FrameBuilder.tcp().flags(FrameBuilder.SYN).sequence(CLIENT_SEQUENCE, 0).srcMac(srcMac)
            .dstMac(dstMac).src(LabAddresses.formatIpv4(source), port).dst(LabAddresses.formatIpv4(vip), BENCH_PORT)
            .build(), SMALL_FRAME_BYTES);
    }

    /** Ethernet pads a short frame with zeros after the IP packet (whose total length does not count them). */
    private static byte[] padded(final byte[] frame, final int frameBytes)
    {
        if (frame.length >= frameBytes)
        {
            return frame;
        }
        final byte[] padded = new byte[frameBytes];
        System.arraycopy(frame, 0, padded, 0, frame.length);
        return padded;
    }
}
