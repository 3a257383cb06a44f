package io.jlvs.endpoint;

/**
 * Layout of an IPv4 header (RFC 791), offsets relative to the start of the header; used for both the outer (IPIP)
 * and the inner header.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |      TOS      |          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      TTL      |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options (IHL > 5)                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The transport checksum fields the endpoint looks at sit at a fixed offset from the transport header:
 * TCP's at 16, UDP's at 6 (RFC 793, RFC 768).
 */
final class Ipv4Header
{
    static final int VERSION_IHL_OFFSET = 0;
    static final int TOS_OFFSET = VERSION_IHL_OFFSET + 1;
    static final int TOTAL_LENGTH_OFFSET = TOS_OFFSET + 1;
    static final int IDENTIFICATION_OFFSET = TOTAL_LENGTH_OFFSET + 2;
    static final int FLAGS_FRAGMENT_OFFSET = IDENTIFICATION_OFFSET + 2;
    static final int TTL_OFFSET = FLAGS_FRAGMENT_OFFSET + 2;
    static final int PROTOCOL_OFFSET = TTL_OFFSET + 1;
    static final int CHECKSUM_OFFSET = PROTOCOL_OFFSET + 1;
    static final int SRC_ADDR_OFFSET = CHECKSUM_OFFSET + 2;
    static final int DST_ADDR_OFFSET = SRC_ADDR_OFFSET + 4;
    static final int MIN_LENGTH = DST_ADDR_OFFSET + 4;

    static final int VERSION_4 = 4;
    static final int VERSION_SHIFT = 4;
    /** IHL counts 32-bit words. */
    static final int IHL_UNIT_BYTES = 4;
    static final int IHL_MASK = 0x0F;

    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    static final int PROTOCOL_IPIP = 4;
    static final int PROTOCOL_TCP = 6;
    static final int PROTOCOL_UDP = 17;

    static final int TCP_CHECKSUM_OFFSET = 16;
    static final int UDP_CHECKSUM_OFFSET = 6;

    /** The largest IPv4 datagram: Total Length is 16 bits. */
    static final int MAX_DATAGRAM_BYTES = 0xFFFF;

    private Ipv4Header()
    {
    }
}
