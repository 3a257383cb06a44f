package io.jlvs.dataplane.codec;

/**
 * Layout of an ICMP header (RFC 792), offsets relative to the start of the ICMP header, with the types and codes
 * jlvs answers, relays or builds.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      rest of header: echo identifier | sequence,              |
 *  |      or unused | next-hop MTU (RFC 1191), or unused            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  errors: the offending IP header + at least 8 bytes of its    |
 *  |  payload; echo: the data to send back                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IcmpHeader
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = TYPE_OFFSET + 1;
    public static final int CHECKSUM_OFFSET = CODE_OFFSET + 1;
    /** The 32-bit word whose meaning depends on the type. */
    public static final int REST_OFFSET = CHECKSUM_OFFSET + 2;
    public static final int ECHO_IDENTIFIER_OFFSET = REST_OFFSET;
    public static final int ECHO_SEQUENCE_OFFSET = ECHO_IDENTIFIER_OFFSET + 2;
    /** Frag-needed: the low 16 bits of the rest word carry the next-hop MTU (RFC 1191), the high 16 are zero. */
    public static final int NEXT_HOP_MTU_OFFSET = REST_OFFSET + 2;
    public static final int LENGTH = REST_OFFSET + 4;
    /** Errors quote the offending IP header and this much of what follows it (RFC 792): the ports, for TCP/UDP. */
    public static final int QUOTED_PAYLOAD_BYTES = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    /** Timestamp request: the first of the informational types 13..18 (timestamp, information, address mask). */
    public static final int TYPE_TIMESTAMP = 13;
    /** Address mask reply: the last type RFC 950 and the kernel ({@code NR_ICMP_TYPES}) know. */
    public static final int TYPE_ADDRESS_MASK_REPLY = 18;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable, code 4: fragmentation needed and DF set; the rest word carries the MTU. */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** Time exceeded, code 0: TTL reached zero in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;

    private IcmpHeader()
    {
    }

    /**
     * Whether {@code type} is an error message (RFC 1122 3.2.2): errors are never answered with errors, and only
     * these carry an embedded packet.
     */
    public static boolean isError(final int type)
    {
        return type == TYPE_DEST_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT ||
            type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }

    /**
     * The errors IPVS relays to a connection's real server ({@code ip_vs_in_icmp}): destination unreachable
     * (including fragmentation needed), source quench and time exceeded. Redirects and parameter problems are
     * about the director's own routing or headers and are not relayed.
     */
    public static boolean isRelayedError(final int type)
    {
        return type == TYPE_DEST_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_TIME_EXCEEDED;
    }
}
