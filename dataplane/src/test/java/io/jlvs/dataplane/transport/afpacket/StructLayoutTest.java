package io.jlvs.dataplane.transport.afpacket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The struct layouts against the values gcc reports for the kernel and glibc headers on x86-64 (offsetof/sizeof);
 * aarch64 is LP64 and little-endian too, so the same numbers hold there.
 */
class StructLayoutTest
{
    @Test
    void tpacketReq3MatchesIfPacketH()
    {
        assertEquals(0, TpacketV3.REQ_BLOCK_SIZE_OFFSET);
        assertEquals(4, TpacketV3.REQ_BLOCK_NR_OFFSET);
        assertEquals(8, TpacketV3.REQ_FRAME_SIZE_OFFSET);
        assertEquals(12, TpacketV3.REQ_FRAME_NR_OFFSET);
        assertEquals(16, TpacketV3.REQ_RETIRE_BLK_TOV_OFFSET);
        assertEquals(20, TpacketV3.REQ_SIZEOF_PRIV_OFFSET);
        assertEquals(24, TpacketV3.REQ_FEATURE_REQ_WORD_OFFSET);
        assertEquals(28, TpacketV3.REQ_LENGTH);
    }

    @Test
    void blockDescriptorMatchesIfPacketH()
    {
        assertEquals(8, TpacketV3.BLOCK_STATUS_OFFSET);
        assertEquals(12, TpacketV3.BLOCK_NUM_PKTS_OFFSET);
        assertEquals(16, TpacketV3.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
        assertEquals(20, TpacketV3.BLOCK_BLK_LEN_OFFSET);
        assertEquals(24, TpacketV3.BLOCK_SEQ_NUM_OFFSET);
        assertEquals(32, TpacketV3.BLOCK_TS_FIRST_PKT_OFFSET);
        assertEquals(40, TpacketV3.BLOCK_TS_LAST_PKT_OFFSET);
        assertEquals(48, TpacketV3.BLOCK_DESC_LENGTH);
    }

    @Test
    void tpacket3HeaderMatchesIfPacketH()
    {
        assertEquals(0, TpacketV3.HDR_NEXT_OFFSET_OFFSET);
        assertEquals(12, TpacketV3.HDR_SNAPLEN_OFFSET);
        assertEquals(16, TpacketV3.HDR_LEN_OFFSET);
        assertEquals(20, TpacketV3.HDR_STATUS_OFFSET);
        assertEquals(24, TpacketV3.HDR_MAC_OFFSET);
        assertEquals(26, TpacketV3.HDR_NET_OFFSET);
        assertEquals(28, TpacketV3.HDR_RXHASH_OFFSET);
        assertEquals(32, TpacketV3.HDR_VLAN_TCI_OFFSET);
        assertEquals(36, TpacketV3.HDR_VLAN_TPID_OFFSET);
        assertEquals(40, TpacketV3.HDR_PADDING_OFFSET);
        assertEquals(48, TpacketV3.HDR_LENGTH);
        assertEquals(48, TpacketV3.HDR_SOCKADDR_OFFSET);
        assertEquals(68, TpacketV3.FRAME_HEADERS_LENGTH, "TPACKET3_HDRLEN");
    }

    @Test
    void sockaddrLlAndStatisticsMatchIfPacketH()
    {
        assertEquals(2, TpacketV3.SLL_PROTOCOL_OFFSET);
        assertEquals(4, TpacketV3.SLL_IFINDEX_OFFSET);
        assertEquals(8, TpacketV3.SLL_HATYPE_OFFSET);
        assertEquals(10, TpacketV3.SLL_PKTTYPE_OFFSET);
        assertEquals(11, TpacketV3.SLL_HALEN_OFFSET);
        assertEquals(12, TpacketV3.SLL_ADDR_OFFSET);
        assertEquals(20, TpacketV3.SLL_LENGTH);
        assertEquals(4, TpacketV3.STATS_DROPS_OFFSET);
        assertEquals(8, TpacketV3.STATS_FREEZE_Q_CNT_OFFSET);
        assertEquals(12, TpacketV3.STATS_LENGTH);
    }

    @Test
    void msghdrMmsghdrAndIovecMatchGlibcOnLp64()
    {
        assertEquals(8, MsgHdr.MSG_NAMELEN_OFFSET);
        assertEquals(16, MsgHdr.MSG_IOV_OFFSET);
        assertEquals(24, MsgHdr.MSG_IOVLEN_OFFSET);
        assertEquals(32, MsgHdr.MSG_CONTROL_OFFSET);
        assertEquals(40, MsgHdr.MSG_CONTROLLEN_OFFSET);
        assertEquals(48, MsgHdr.MSG_FLAGS_OFFSET);
        assertEquals(56, MsgHdr.MSGHDR_LENGTH);
        assertEquals(56, MsgHdr.MMSG_LEN_OFFSET);
        assertEquals(64, MsgHdr.MMSGHDR_LENGTH);
        assertEquals(8, MsgHdr.IOV_LEN_OFFSET);
        assertEquals(16, MsgHdr.IOVEC_LENGTH);
    }

    @Test
    void ifreqAndIoctlNumbersMatchLinuxHeaders()
    {
        assertEquals(40, IfReq.LENGTH);
        assertEquals(16, IfReq.IFINDEX_OFFSET);
        assertEquals(16, IfReq.MTU_OFFSET);
        assertEquals(18, IfReq.HWADDR_DATA_OFFSET);
        assertEquals(20, IfReq.ADDR_IPV4_OFFSET);
        assertEquals(35123, IfReq.SIOCGIFINDEX);
        assertEquals(35111, IfReq.SIOCGIFHWADDR);
        assertEquals(35105, IfReq.SIOCGIFMTU);
        assertEquals(35093, IfReq.SIOCGIFADDR);
    }

    @Test
    void socketConstantsMatchLinuxHeaders()
    {
        assertEquals(263, PacketSocket.SOL_PACKET);
        assertEquals(15, PacketSocket.PACKET_VNET_HDR);
        assertEquals(20, PacketSocket.PACKET_QDISC_BYPASS);
        assertEquals(23, PacketSocket.PACKET_IGNORE_OUTGOING);
        assertEquals(18, PacketSocket.PACKET_FANOUT);
        assertEquals(2048, PacketSocket.SOCK_NONBLOCK);
        assertEquals(524288, PacketSocket.SOCK_CLOEXEC);
        assertEquals(64, PacketSocket.MSG_DONTWAIT);
        assertEquals(2, TpacketV3.VERSION);
    }
}
