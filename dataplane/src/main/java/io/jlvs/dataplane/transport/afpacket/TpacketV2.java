package io.jlvs.dataplane.transport.afpacket;

import static io.jlvs.dataplane.transport.afpacket.TpacketV3.U16;
import static io.jlvs.dataplane.transport.afpacket.TpacketV3.U32;

/**
 * Layouts of the TPACKET_V2 ring structures ({@code include/uapi/linux/if_packet.h}), identical on x86-64 and
 * aarch64. The sockaddr_ll, statistics and status bits are as in {@link TpacketV3}.
 * <p>
 * The RX ring is {@code tp_frame_nr} fixed slots of {@code tp_frame_size} bytes, {@code tp_block_size /
 * tp_frame_size} to a block (a slot never crosses a block). The kernel fills slot after slot and hands each over on
 * its own by setting its {@code tp_status} to {@code TP_STATUS_USER}; user space gives it back by writing
 * {@code TP_STATUS_KERNEL}. There is no block timeout: a frame is visible as soon as it is written.
 * <pre>
 * struct tpacket2_hdr (32 bytes), then at 32 struct sockaddr_ll (20)
 *   0 u32 tp_status                 16 u32 tp_sec
 *   4 u32 tp_len    (on the wire)   20 u32 tp_nsec
 *   8 u32 tp_snaplen (in the slot)  24 u16 tp_vlan_tci, 26 u16 tp_vlan_tpid
 *  12 u16 tp_mac, 14 u16 tp_net     28 u8[4] padding
 * struct tpacket_req (16 bytes): tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr (the first four fields of
 * tpacket_req3; the kernel reads only these for V2)
 * struct tpacket_stats (8 bytes): tp_packets, tp_drops (the first two fields of tpacket_stats_v3)
 * </pre>
 */
final class TpacketV2
{
    /** {@code TPACKET_V2} for {@code PACKET_VERSION}. */
    static final int VERSION = 1;

    static final int HDR_STATUS_OFFSET = 0;
    static final int HDR_LEN_OFFSET = HDR_STATUS_OFFSET + U32;
    static final int HDR_SNAPLEN_OFFSET = HDR_LEN_OFFSET + U32;
    static final int HDR_MAC_OFFSET = HDR_SNAPLEN_OFFSET + U32;
    static final int HDR_NET_OFFSET = HDR_MAC_OFFSET + U16;
    static final int HDR_SEC_OFFSET = HDR_NET_OFFSET + U16;
    static final int HDR_NSEC_OFFSET = HDR_SEC_OFFSET + U32;
    static final int HDR_VLAN_TCI_OFFSET = HDR_NSEC_OFFSET + U32;
    static final int HDR_VLAN_TPID_OFFSET = HDR_VLAN_TCI_OFFSET + U16;
    static final int HDR_PADDING_OFFSET = HDR_VLAN_TPID_OFFSET + U16;
    static final int HDR_PADDING_LENGTH = 4;
    static final int HDR_LENGTH = HDR_PADDING_OFFSET + HDR_PADDING_LENGTH;
    /** {@code TPACKET_ALIGN(sizeof(struct tpacket2_hdr))}: where the sockaddr_ll of a frame starts. */
    static final int HDR_SOCKADDR_OFFSET = TpacketV3.align(HDR_LENGTH);
    /** {@code TPACKET2_HDRLEN}: ring header plus sockaddr_ll, the least a slot holds before its frame. */
    static final int FRAME_HEADERS_LENGTH = HDR_SOCKADDR_OFFSET + TpacketV3.SLL_LENGTH;

    private TpacketV2()
    {
    }
}
