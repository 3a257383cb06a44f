package io.jlvs.dataplane.codec;

/**
 * Layout of an IPv4 header (RFC 791), offsets relative to the start of the IP header.
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
 */
public final class Ipv4Header
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = VERSION_IHL_OFFSET + 1;
    public static final int TOTAL_LENGTH_OFFSET = TOS_OFFSET + 1;
    public static final int IDENTIFICATION_OFFSET = TOTAL_LENGTH_OFFSET + 2;
    public static final int FLAGS_FRAGMENT_OFFSET = IDENTIFICATION_OFFSET + 2;
    public static final int TTL_OFFSET = FLAGS_FRAGMENT_OFFSET + 2;
    public static final int PROTOCOL_OFFSET = TTL_OFFSET + 1;
    public static final int CHECKSUM_OFFSET = PROTOCOL_OFFSET + 1;
    public static final int SRC_ADDR_OFFSET = CHECKSUM_OFFSET + 2;
    public static final int DST_ADDR_OFFSET = SRC_ADDR_OFFSET + 4;
    public static final int MIN_LENGTH = DST_ADDR_OFFSET + 4;
    public static final int MAX_LENGTH = 60;

    public static final int VERSION_4 = 4;
    /** IHL counts 32-bit words. */
    public static final int IHL_UNIT_BYTES = 4;
    public static final int IHL_MASK = 0x0F;

    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_IPIP = 4;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private Ipv4Header()
    {
    }
}
