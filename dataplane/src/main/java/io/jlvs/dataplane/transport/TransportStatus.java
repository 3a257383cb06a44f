package io.jlvs.dataplane.transport;

/**
 * The per-frame status bits a transport hands to {@link FrameSink#onFrame}: the kernel's {@code tp_status} of a
 * TPACKET_V3 frame ({@code include/uapi/linux/if_packet.h}), the same values for every transport.
 */
public final class TransportStatus
{
    /** {@code TP_STATUS_USER}: the frame belongs to user space (always set on a received frame). */
    public static final int USER = 1;
    /** {@code TP_STATUS_COPY}: the frame was too big for the ring and was truncated (TPACKET_V1/V2 only). */
    public static final int COPY = 1 << 1;
    /** {@code TP_STATUS_LOSING}: the kernel dropped frames since the statistics were last read. */
    public static final int LOSING = 1 << 2;
    /**
     * {@code TP_STATUS_CSUMNOTREADY}: the L4 checksum is partial (the sender left it to an offload that never ran, as
     * veth and virtio do); the virtio_net_hdr says where it goes ({@link VnetHeader#F_NEEDS_CSUM}).
     */
    public static final int CSUM_NOT_READY = 1 << 3;
    /** {@code TP_STATUS_VLAN_VALID}: a VLAN tag was stripped from the frame by the device (tp_vlan_tci holds it). */
    public static final int VLAN_VALID = 1 << 4;
    /** {@code TP_STATUS_BLK_TMO}: (block status) the block was retired by its timer before it filled. */
    public static final int BLOCK_TIMEOUT = 1 << 5;
    /** {@code TP_STATUS_VLAN_TPID_VALID}: tp_vlan_tpid holds the stripped tag's protocol. */
    public static final int VLAN_TPID_VALID = 1 << 6;
    /** {@code TP_STATUS_CSUM_VALID}: the device or the stack already verified the checksums. */
    public static final int CSUM_VALID = 1 << 7;
    /** {@code TP_STATUS_GSO_TCP} (Linux 6.3+): the frame is a TCP GSO super-frame. */
    public static final int GSO_TCP = 1 << 8;
    /** {@code TP_STATUS_TS_SOFTWARE}: the timestamp was taken in software. */
    public static final int TS_SOFTWARE = 1 << 29;
    /** {@code TP_STATUS_TS_RAW_HARDWARE}: the timestamp was taken by the device. */
    public static final int TS_RAW_HARDWARE = 1 << 31;

    private TransportStatus()
    {
    }

    /** True when the frame's L4 checksum is partial and must be completed before it leaves without offload. */
    public static boolean isChecksumNotReady(final int status)
    {
        return (status & CSUM_NOT_READY) != 0;
    }

    /** True when the kernel or device already verified the frame's checksums. */
    public static boolean isChecksumValid(final int status)
    {
        return (status & CSUM_VALID) != 0;
    }

    /** True when the device stripped a VLAN tag that the frame bytes no longer show. */
    public static boolean isVlanStripped(final int status)
    {
        return (status & VLAN_VALID) != 0;
    }
}
