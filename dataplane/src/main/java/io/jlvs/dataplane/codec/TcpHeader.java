package io.jlvs.dataplane.codec;

/**
 * Layout of a TCP header (RFC 9293), offsets relative to the start of the TCP header.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpHeader
{
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = SRC_PORT_OFFSET + 2;
    public static final int SEQUENCE_OFFSET = DST_PORT_OFFSET + 2;
    public static final int ACK_OFFSET = SEQUENCE_OFFSET + 4;
    public static final int DATA_OFFSET_OFFSET = ACK_OFFSET + 4;
    public static final int FLAGS_OFFSET = DATA_OFFSET_OFFSET + 1;
    public static final int WINDOW_OFFSET = FLAGS_OFFSET + 1;
    public static final int CHECKSUM_OFFSET = WINDOW_OFFSET + 2;
    public static final int URGENT_OFFSET = CHECKSUM_OFFSET + 2;
    public static final int MIN_LENGTH = URGENT_OFFSET + 2;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;

    private TcpHeader()
    {
    }
}
