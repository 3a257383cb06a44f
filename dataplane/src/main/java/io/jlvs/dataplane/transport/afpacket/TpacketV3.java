package io.jlvs.dataplane.transport.afpacket;

/**
 * Layouts of the TPACKET_V3 ring structures ({@code include/uapi/linux/if_packet.h}), identical on x86-64 and
 * aarch64. All fields are in host byte order except {@code sll_protocol}.
 * <p>
 * The RX ring is {@code tp_block_nr} blocks of {@code tp_block_size} bytes. Each block starts with a block descriptor;
 * the kernel fills it with frames and hands it to user space whole by setting {@code block_status} to
 * {@code TP_STATUS_USER} (when full, or when {@code tp_retire_blk_tov} expires); user space gives it back by writing
 * {@code TP_STATUS_KERNEL}.
 * <pre>
 * struct tpacket_block_desc (48 bytes)       struct tpacket3_hdr (48 bytes), then at 48 struct sockaddr_ll (20)
 *   0 u32 version                              0 u32 tp_next_offset   (to the next frame of the block, 0 on the last)
 *   4 u32 offset_to_priv                       4 u32 tp_sec
 *   8 u32 block_status    (tpacket_hdr_v1)     8 u32 tp_nsec
 *  12 u32 num_pkts                            12 u32 tp_snaplen       (bytes in the ring)
 *  16 u32 offset_to_first_pkt                 16 u32 tp_len           (bytes on the wire; > snaplen if truncated)
 *  20 u32 blk_len                             20 u32 tp_status
 *  24 u64 seq_num                             24 u16 tp_mac           (frame offset from this header)
 *  32 u32 ts_first_pkt.ts_sec, 36 ts_nsec     26 u16 tp_net
 *  40 u32 ts_last_pkt.ts_sec,  44 ts_nsec     28 u32 tp_rxhash, 32 u32 tp_vlan_tci, 36 u16 tp_vlan_tpid, 38 pad
 *                                             40 u8[8] padding
 * struct sockaddr_ll (20 bytes)              struct tpacket_req3 (28 bytes)
 *   0 u16 sll_family                           0 u32 tp_block_size      16 u32 tp_retire_blk_tov
 *   2 be16 sll_protocol                        4 u32 tp_block_nr        20 u32 tp_sizeof_priv
 *   4 s32 sll_ifindex                          8 u32 tp_frame_size      24 u32 tp_feature_req_word
 *   8 u16 sll_hatype                          12 u32 tp_frame_nr
 *  10 u8  sll_pkttype
 *  11 u8  sll_halen                          struct tpacket_stats_v3 (12 bytes)
 *  12 u8[8] sll_addr                           0 u32 tp_packets, 4 u32 tp_drops, 8 u32 tp_freeze_q_cnt
 * </pre>
 * With {@code PACKET_VNET_HDR} the kernel writes the 10-byte virtio_net_hdr just before {@code tp_mac}.
 */
final class TpacketV3
{
    static final int U16 = 2;
    static final int U32 = 4;
    static final int U64 = 8;

    /** {@code TPACKET_V3} for {@code PACKET_VERSION}. */
    static final int VERSION = 2;
    /** {@code TPACKET_ALIGNMENT}: frames start at 16-byte boundaries. */
    static final int ALIGNMENT = 16;

    // struct tpacket_req3
    static final int REQ_BLOCK_SIZE_OFFSET = 0;
    static final int REQ_BLOCK_NR_OFFSET = REQ_BLOCK_SIZE_OFFSET + U32;
    static final int REQ_FRAME_SIZE_OFFSET = REQ_BLOCK_NR_OFFSET + U32;
    static final int REQ_FRAME_NR_OFFSET = REQ_FRAME_SIZE_OFFSET + U32;
    static final int REQ_RETIRE_BLK_TOV_OFFSET = REQ_FRAME_NR_OFFSET + U32;
    static final int REQ_SIZEOF_PRIV_OFFSET = REQ_RETIRE_BLK_TOV_OFFSET + U32;
    static final int REQ_FEATURE_REQ_WORD_OFFSET = REQ_SIZEOF_PRIV_OFFSET + U32;
    static final int REQ_LENGTH = REQ_FEATURE_REQ_WORD_OFFSET + U32;

    // struct tpacket_block_desc { version; offset_to_priv; struct tpacket_hdr_v1 hdr; }
    static final int BLOCK_VERSION_OFFSET = 0;
    static final int BLOCK_OFFSET_TO_PRIV_OFFSET = BLOCK_VERSION_OFFSET + U32;
    static final int BLOCK_STATUS_OFFSET = BLOCK_OFFSET_TO_PRIV_OFFSET + U32;
    static final int BLOCK_NUM_PKTS_OFFSET = BLOCK_STATUS_OFFSET + U32;
    static final int BLOCK_OFFSET_TO_FIRST_PKT_OFFSET = BLOCK_NUM_PKTS_OFFSET + U32;
    static final int BLOCK_BLK_LEN_OFFSET = BLOCK_OFFSET_TO_FIRST_PKT_OFFSET + U32;
    /** {@code __aligned_u64}: 8-aligned, and 24 already is. */
    static final int BLOCK_SEQ_NUM_OFFSET = BLOCK_BLK_LEN_OFFSET + U32;
    static final int BLOCK_TS_FIRST_PKT_OFFSET = BLOCK_SEQ_NUM_OFFSET + U64;
    /** {@code struct tpacket_bd_ts}: ts_sec and ts_usec/ts_nsec. */
    static final int BLOCK_TS_LENGTH = U32 + U32;
    static final int BLOCK_TS_LAST_PKT_OFFSET = BLOCK_TS_FIRST_PKT_OFFSET + BLOCK_TS_LENGTH;
    static final int BLOCK_DESC_LENGTH = BLOCK_TS_LAST_PKT_OFFSET + BLOCK_TS_LENGTH;

    // struct tpacket3_hdr
    static final int HDR_NEXT_OFFSET_OFFSET = 0;
    static final int HDR_SEC_OFFSET = HDR_NEXT_OFFSET_OFFSET + U32;
    static final int HDR_NSEC_OFFSET = HDR_SEC_OFFSET + U32;
    static final int HDR_SNAPLEN_OFFSET = HDR_NSEC_OFFSET + U32;
    static final int HDR_LEN_OFFSET = HDR_SNAPLEN_OFFSET + U32;
    static final int HDR_STATUS_OFFSET = HDR_LEN_OFFSET + U32;
    static final int HDR_MAC_OFFSET = HDR_STATUS_OFFSET + U32;
    static final int HDR_NET_OFFSET = HDR_MAC_OFFSET + U16;
    static final int HDR_RXHASH_OFFSET = HDR_NET_OFFSET + U16;
    static final int HDR_VLAN_TCI_OFFSET = HDR_RXHASH_OFFSET + U32;
    static final int HDR_VLAN_TPID_OFFSET = HDR_VLAN_TCI_OFFSET + U32;
    static final int HDR_VARIANT_PADDING_OFFSET = HDR_VLAN_TPID_OFFSET + U16;
    static final int HDR_PADDING_OFFSET = HDR_VARIANT_PADDING_OFFSET + U16;
    static final int HDR_PADDING_LENGTH = 8;
    static final int HDR_LENGTH = HDR_PADDING_OFFSET + HDR_PADDING_LENGTH;
    /** {@code TPACKET_ALIGN(sizeof(struct tpacket3_hdr))}: where the sockaddr_ll of a frame starts. */
    static final int HDR_SOCKADDR_OFFSET = align(HDR_LENGTH);

    // struct sockaddr_ll
    static final int SLL_FAMILY_OFFSET = 0;
    static final int SLL_PROTOCOL_OFFSET = SLL_FAMILY_OFFSET + U16;
    static final int SLL_IFINDEX_OFFSET = SLL_PROTOCOL_OFFSET + U16;
    static final int SLL_HATYPE_OFFSET = SLL_IFINDEX_OFFSET + U32;
    static final int SLL_PKTTYPE_OFFSET = SLL_HATYPE_OFFSET + U16;
    static final int SLL_HALEN_OFFSET = SLL_PKTTYPE_OFFSET + 1;
    static final int SLL_ADDR_OFFSET = SLL_HALEN_OFFSET + 1;
    static final int SLL_ADDR_LENGTH = 8;
    static final int SLL_LENGTH = SLL_ADDR_OFFSET + SLL_ADDR_LENGTH;

    /** {@code TPACKET3_HDRLEN}: ring header plus sockaddr_ll, the least a frame slot holds before its data. */
    static final int FRAME_HEADERS_LENGTH = HDR_SOCKADDR_OFFSET + SLL_LENGTH;

    // struct tpacket_stats_v3
    static final int STATS_PACKETS_OFFSET = 0;
    static final int STATS_DROPS_OFFSET = STATS_PACKETS_OFFSET + U32;
    static final int STATS_FREEZE_Q_CNT_OFFSET = STATS_DROPS_OFFSET + U32;
    static final int STATS_LENGTH = STATS_FREEZE_Q_CNT_OFFSET + U32;

    /** {@code TP_STATUS_KERNEL}: the block belongs to the kernel. */
    static final int TP_STATUS_KERNEL = 0;
    /** {@code TP_STATUS_USER}: the block (or frame) belongs to user space. */
    static final int TP_STATUS_USER = 1;
    /** {@code TP_STATUS_LOSING} on a block: the kernel dropped frames; read PACKET_STATISTICS. */
    static final int TP_STATUS_LOSING = 1 << 2;

    /** {@code PACKET_OUTGOING} in sll_pkttype: a frame this host transmitted. */
    static final int PACKET_OUTGOING = 4;

    private TpacketV3()
    {
    }

    /** {@code TPACKET_ALIGN(x)}. */
    static int align(final int length)
    {
        return (length + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
    }
}
