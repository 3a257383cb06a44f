package io.jlvs.dataplane.codec;

/**
 * Layout of a UDP header (RFC 768), offsets relative to the start of the UDP header.
 * <pre>
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Length             |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class UdpHeader
{
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = SRC_PORT_OFFSET + 2;
    public static final int LENGTH_OFFSET = DST_PORT_OFFSET + 2;
    public static final int CHECKSUM_OFFSET = LENGTH_OFFSET + 2;
    public static final int LENGTH = CHECKSUM_OFFSET + 2;

    private UdpHeader()
    {
    }
}
