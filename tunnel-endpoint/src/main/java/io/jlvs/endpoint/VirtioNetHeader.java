package io.jlvs.endpoint;

/**
 * Layout of {@code struct virtio_net_hdr} ({@code include/uapi/linux/virtio_net.h}), which precedes every packet
 * written to a TUN device opened with {@code IFF_VNET_HDR}. Fields are in the host's byte order (the legacy virtio
 * rule a TUN device follows unless told otherwise with {@code TUNSETVNETLE/BE}).
 * <pre>
 *   0 u8  flags        (VIRTIO_NET_HDR_F_NEEDS_CSUM = 1)
 *   1 u8  gso_type     (VIRTIO_NET_HDR_GSO_NONE = 0)
 *   2 u16 hdr_len
 *   4 u16 gso_size
 *   6 u16 csum_start   (from the start of the packet: here the inner IPv4 header)
 *   8 u16 csum_offset  (from csum_start to the checksum field)
 *  10
 * </pre>
 */
final class VirtioNetHeader
{
    static final int FLAGS_OFFSET = 0;
    static final int GSO_TYPE_OFFSET = FLAGS_OFFSET + 1;
    static final int HDR_LEN_OFFSET = GSO_TYPE_OFFSET + 1;
    static final int GSO_SIZE_OFFSET = HDR_LEN_OFFSET + 2;
    static final int CSUM_START_OFFSET = GSO_SIZE_OFFSET + 2;
    static final int CSUM_OFFSET_OFFSET = CSUM_START_OFFSET + 2;
    static final int LENGTH = CSUM_OFFSET_OFFSET + 2;

    /** The checksum field holds only the pseudo-header sum; the kernel treats the packet as CHECKSUM_PARTIAL. */
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;

    private VirtioNetHeader()
    {
    }
}
