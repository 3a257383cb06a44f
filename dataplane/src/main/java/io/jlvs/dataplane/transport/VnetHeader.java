package io.jlvs.dataplane.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of {@code struct virtio_net_hdr} ({@code include/uapi/linux/virtio_net.h}), the 10 bytes that precede every
 * frame on a packet socket with {@code PACKET_VNET_HDR}. It carries the offloads the kernel would otherwise have done
 * in hardware: a partial checksum to complete ({@link #F_NEEDS_CSUM}) and a GSO super-frame to segment
 * ({@link #GSO_SIZE_OFFSET}). A frame queued back with the header it arrived with leaves with its checksum completed
 * and, if bigger than the MTU, segmented by the kernel: never as one oversized frame.
 * <pre>
 *   0               1               2               3
 *  +---------------+---------------+-------------------------------+
 *  |     flags     |   gso_type    |            hdr_len            |
 *  +---------------+---------------+-------------------------------+
 *  |            gso_size           |           csum_start          |
 *  +-------------------------------+-------------------------------+
 *  |          csum_offset          |
 *  +-------------------------------+
 * </pre>
 * The 16-bit fields are little-endian: a packet socket uses the legacy virtio byte order, which is the host's, and
 * every architecture jlvs runs on (x86-64, aarch64) is little-endian.
 */
public final class VnetHeader
{
    public static final int FLAGS_OFFSET = 0;
    public static final int FLAGS_LENGTH = 1;
    public static final int GSO_TYPE_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    public static final int GSO_TYPE_LENGTH = 1;
    /** Length of the headers (Ethernet + IP + L4) that must stay linear: a hint for the kernel. */
    public static final int HDR_LEN_OFFSET = GSO_TYPE_OFFSET + GSO_TYPE_LENGTH;
    public static final int HDR_LEN_LENGTH = 2;
    /** Payload bytes per segment (the MSS for TCP) when {@code gso_type != GSO_NONE}. */
    public static final int GSO_SIZE_OFFSET = HDR_LEN_OFFSET + HDR_LEN_LENGTH;
    public static final int GSO_SIZE_LENGTH = 2;
    /** Offset from the start of the Ethernet frame where checksumming starts (the L4 header). */
    public static final int CSUM_START_OFFSET = GSO_SIZE_OFFSET + GSO_SIZE_LENGTH;
    public static final int CSUM_START_LENGTH = 2;
    /** Offset of the checksum field from {@code csum_start} (6 for UDP, 16 for TCP). */
    public static final int CSUM_OFFSET_OFFSET = CSUM_START_OFFSET + CSUM_START_LENGTH;
    public static final int CSUM_OFFSET_LENGTH = 2;
    public static final int LENGTH = CSUM_OFFSET_OFFSET + CSUM_OFFSET_LENGTH;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: checksum from csum_start to the end, store it at csum_start+csum_offset. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: (receive) the checksums were verified. */
    public static final int F_DATA_VALID = 2;

    /** {@code VIRTIO_NET_HDR_GSO_NONE}: an ordinary frame. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}: a TCP/IPv4 super-frame, to be cut into gso_size segments. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}: UDP fragmentation offload (UFO), obsolete. */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}: a TCP/IPv6 super-frame. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4}: UDP segmentation offload (USO / UDP GSO). */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: flag in gso_type, the TCP segments carry ECN (CWR on the first only). */
    public static final int GSO_ECN = 0x80;
    /** The gso_type bits that name the type, without {@link #GSO_ECN}. */
    public static final int GSO_TYPE_MASK = ~GSO_ECN & 0xFF;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int U8_MASK = 0xFF;
    private static final int U16_MASK = 0xFFFF;

    private VnetHeader()
    {
    }

    /** The flags byte ({@link #F_NEEDS_CSUM}, {@link #F_DATA_VALID}). */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & U8_MASK;
    }

    /** The gso_type byte, including the {@link #GSO_ECN} flag. */
    public static int gsoType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + GSO_TYPE_OFFSET) & U8_MASK;
    }

    public static int hdrLen(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + HDR_LEN_OFFSET, ORDER) & U16_MASK;
    }

    public static int gsoSize(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + GSO_SIZE_OFFSET, ORDER) & U16_MASK;
    }

    public static int csumStart(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CSUM_START_OFFSET, ORDER) & U16_MASK;
    }

    public static int csumOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CSUM_OFFSET_OFFSET, ORDER) & U16_MASK;
    }

    /** True when the frame is a super-frame the kernel will segment ({@code gso_type != GSO_NONE}). */
    public static boolean isGso(final DirectBuffer buffer, final int offset)
    {
        return (gsoType(buffer, offset) & GSO_TYPE_MASK) != GSO_NONE;
    }

    /** True when the frame's L4 checksum is partial and the kernel must complete it on the way out. */
    public static boolean needsChecksum(final DirectBuffer buffer, final int offset)
    {
        return (flags(buffer, offset) & F_NEEDS_CSUM) != 0;
    }

    /** Writes all fields of a header at {@code offset}. */
    public static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int flags,
        final int gsoType,
        final int hdrLen,
        final int gsoSize,
        final int csumStart,
        final int csumOffset)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putByte(offset + GSO_TYPE_OFFSET, (byte)gsoType);
        buffer.putShort(offset + HDR_LEN_OFFSET, (short)hdrLen, ORDER);
        buffer.putShort(offset + GSO_SIZE_OFFSET, (short)gsoSize, ORDER);
        buffer.putShort(offset + CSUM_START_OFFSET, (short)csumStart, ORDER);
        buffer.putShort(offset + CSUM_OFFSET_OFFSET, (short)csumOffset, ORDER);
    }

    /** Writes the header of an ordinary frame: no offload asked, checksums are already complete. */
    public static void clear(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
    }
}
