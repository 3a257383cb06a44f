package io.jlvs.arp;

/**
 * Layout of an ARP frame for IPv4 over Ethernet (RFC 826): the Ethernet II header, then the 28-octet ARP message.
 * Ethernet offsets are relative to the frame, ARP offsets ({@code HTYPE_OFFSET} .. {@code TPA_OFFSET}) relative to
 * the ARP header, i.e. to {@code frameOffset + ETHERNET_HEADER_LENGTH}.
 * <pre>
 * Ethernet II (frame offsets)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination MAC address                    |  0
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+       Source MAC address      +
 *  |                                                               |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      EtherType (0x0806)       |                                 12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ARP (offsets relative to the ARP header, which starts at frame offset 14)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      HTYPE (1 = Ethernet)     |      PTYPE (0x0800 = IPv4)    |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   HLEN (6)    |   PLEN (4)    |   OPER (1 request, 2 reply)   |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               Sender hardware address (SHA)                   |  8
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               | Sender protocol address (SPA) | 12
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                               |                               | 16
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |               Target hardware address (THA)                   | 20
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               Target protocol address (TPA)                   | 24
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpHeader
{
    // Ethernet II, relative to the frame.
    public static final int MAC_LENGTH = MacAddress.LENGTH;
    public static final int DST_MAC_OFFSET = 0;
    public static final int SRC_MAC_OFFSET = DST_MAC_OFFSET + MAC_LENGTH;
    public static final int ETHERTYPE_OFFSET = SRC_MAC_OFFSET + MAC_LENGTH;
    public static final int ETHERTYPE_LENGTH = 2;
    public static final int ETHERNET_HEADER_LENGTH = ETHERTYPE_OFFSET + ETHERTYPE_LENGTH;

    /** EtherType of ARP (IEEE 802 numbers). */
    public static final int ETHERTYPE_ARP = 0x0806;

    // ARP, relative to the ARP header.
    public static final int HTYPE_OFFSET = 0;
    public static final int HTYPE_LENGTH = 2;
    public static final int PTYPE_OFFSET = HTYPE_OFFSET + HTYPE_LENGTH;
    public static final int PTYPE_LENGTH = 2;
    public static final int HLEN_OFFSET = PTYPE_OFFSET + PTYPE_LENGTH;
    public static final int HLEN_LENGTH = 1;
    public static final int PLEN_OFFSET = HLEN_OFFSET + HLEN_LENGTH;
    public static final int PLEN_LENGTH = 1;
    public static final int OPER_OFFSET = PLEN_OFFSET + PLEN_LENGTH;
    public static final int OPER_LENGTH = 2;
    public static final int IPV4_ADDRESS_LENGTH = 4;
    public static final int SHA_OFFSET = OPER_OFFSET + OPER_LENGTH;
    public static final int SPA_OFFSET = SHA_OFFSET + MAC_LENGTH;
    public static final int THA_OFFSET = SPA_OFFSET + IPV4_ADDRESS_LENGTH;
    public static final int TPA_OFFSET = THA_OFFSET + MAC_LENGTH;
    /** The ARP message for IPv4 over Ethernet: 28 octets. */
    public static final int ARP_LENGTH = TPA_OFFSET + IPV4_ADDRESS_LENGTH;

    /** Ethernet header and ARP message: 42 octets, the shortest frame that holds a whole ARP message. */
    public static final int FRAME_LENGTH = ETHERNET_HEADER_LENGTH + ARP_LENGTH;

    /**
     * The shortest Ethernet frame without its FCS (64 with it, IEEE 802.3). Frames jlvs builds are padded with
     * zeroes to this length, as a NIC would, so that what a test or a capture sees is what the wire carries.
     */
    public static final int MIN_ETHERNET_FRAME = 60;

    /** HTYPE for Ethernet. */
    public static final int HTYPE_ETHERNET = 1;
    /** HTYPE for IEEE 802 networks; Linux's arp_process accepts it on Ethernet devices too, and so do we. */
    public static final int HTYPE_IEEE802 = 6;
    /** PTYPE for IPv4 (its EtherType). */
    public static final int PTYPE_IPV4 = 0x0800;
    public static final int HLEN_ETHERNET = MAC_LENGTH;
    public static final int PLEN_IPV4 = IPV4_ADDRESS_LENGTH;

    public static final int OPER_REQUEST = 1;
    public static final int OPER_REPLY = 2;

    private ArpHeader()
    {
    }
}
