package io.jlvs.dataplane.codec;

/**
 * Layout of an Ethernet II header.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 destination MAC (6 bytes)                     |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+     source MAC (6 bytes)      +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          EtherType            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EthernetHeader
{
    public static final int MAC_LENGTH = 6;
    public static final int DST_MAC_OFFSET = 0;
    public static final int SRC_MAC_OFFSET = DST_MAC_OFFSET + MAC_LENGTH;
    public static final int ETHERTYPE_OFFSET = SRC_MAC_OFFSET + MAC_LENGTH;
    public static final int ETHERTYPE_LENGTH = 2;
    public static final int LENGTH = ETHERTYPE_OFFSET + ETHERTYPE_LENGTH;

    /** Ethernet's minimum frame without FCS: shorter frames are padded by whoever sends them. */
    public static final int MIN_FRAME_LENGTH = 60;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_IPV6 = 0x86DD;

    /** Bit 0 of the first MAC byte: group (multicast/broadcast) address. */
    public static final long GROUP_BIT = 0x0100_0000_0000L;
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private EthernetHeader()
    {
    }
}
