package io.jlvs.dataplane.transport.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes classic pcap files of Ethernet frames (the libpcap format tcpdump, Wireshark and pcap4j use), for
 * tests and golden frames.
 * <p>
 * Pure Java rather than through pcap4j: the format is two fixed headers, and tests that read golden frames should not
 * need libpcap installed. Files written here are read by libpcap and the other way round (the pcap tests check both
 * when libpcap is present).
 * <pre>
 * global header (24 bytes)                       record header (16 bytes), then incl_len bytes of frame
 *   0 u32 magic 0xA1B2C3D4 (us) / 0xA1B23C4D (ns)   0 u32 ts_sec
 *   4 u16 version_major 2, 6 u16 version_minor 4    4 u32 ts_usec (or ts_nsec)
 *   8 s32 thiszone 0, 12 u32 sigfigs 0              8 u32 incl_len (bytes in the file)
 *  16 u32 snaplen, 20 u32 linktype (1 = Ethernet)  12 u32 orig_len (bytes on the wire)
 * </pre>
 * Every field is in the byte order of the writer, which the magic number reveals; this class writes little-endian
 * with zero timestamps, so the same frames always make the same file.
 */
public final class PcapFiles
{
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    /** The first word of a pcapng file (its Section Header Block type), which this class does not read. */
    public static final int PCAPNG_MAGIC = 0x0A0D0D0A;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int LINKTYPE_ETHERNET = 1;
    /** tcpdump's default snap length: no frame jlvs handles is longer. */
    public static final int SNAPLEN = 262_144;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_MAJOR_OFFSET = MAGIC_OFFSET + 4;
    public static final int VERSION_MINOR_OFFSET = VERSION_MAJOR_OFFSET + 2;
    public static final int THISZONE_OFFSET = VERSION_MINOR_OFFSET + 2;
    public static final int SIGFIGS_OFFSET = THISZONE_OFFSET + 4;
    public static final int SNAPLEN_OFFSET = SIGFIGS_OFFSET + 4;
    public static final int LINKTYPE_OFFSET = SNAPLEN_OFFSET + 4;
    public static final int GLOBAL_HEADER_LENGTH = LINKTYPE_OFFSET + 4;

    public static final int TS_SEC_OFFSET = 0;
    public static final int TS_FRACTION_OFFSET = TS_SEC_OFFSET + 4;
    public static final int INCL_LEN_OFFSET = TS_FRACTION_OFFSET + 4;
    public static final int ORIG_LEN_OFFSET = INCL_LEN_OFFSET + 4;
    public static final int RECORD_HEADER_LENGTH = ORIG_LEN_OFFSET + 4;

    private PcapFiles()
    {
    }

    /**
     * The frames of a pcap file, in order, as captured (incl_len bytes each).
     *
     * @throws IOException when the file is not a classic pcap file of Ethernet frames, or ends inside a record.
     */
    public static List<byte[]> read(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final ByteBuffer global = ByteBuffer.wrap(readFully(in, GLOBAL_HEADER_LENGTH, file, "global header"));
            final int magic = global.order(ByteOrder.LITTLE_ENDIAN).getInt(MAGIC_OFFSET);
            final ByteOrder order;
            if (magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS)
            {
                order = ByteOrder.LITTLE_ENDIAN;
            }
            else if (Integer.reverseBytes(magic) == MAGIC_MICROSECONDS ||
                Integer.reverseBytes(magic) == MAGIC_NANOSECONDS)
            {
                order = ByteOrder.BIG_ENDIAN;
            }
            else if (magic == PCAPNG_MAGIC)
            {
                throw new IOException(file + " is pcapng; convert it with 'editcap -F pcap IN OUT'");
            }
            else
            {
                throw new IOException(file + " is not a pcap file, magic=0x" + Integer.toHexString(magic));
            }
            global.order(order);
            final int linkType = global.getInt(LINKTYPE_OFFSET);
            if (linkType != LINKTYPE_ETHERNET)
            {
                throw new IOException(file + " holds link type " + linkType + ", not Ethernet (" +
                    LINKTYPE_ETHERNET + ")");
            }

            final List<byte[]> frames = new ArrayList<>();
            while (true)
            {
                final byte[] recordHeader = in.readNBytes(RECORD_HEADER_LENGTH);
                if (recordHeader.length == 0)
                {
                    return frames;
                }
                if (recordHeader.length < RECORD_HEADER_LENGTH)
                {
                    throw new EOFException(file + " ends inside the header of record " + frames.size());
                }
                final int length = ByteBuffer.wrap(recordHeader).order(order).getInt(INCL_LEN_OFFSET);
                if (length < 0 || length > SNAPLEN)
                {
                    throw new IOException(file + ": record " + frames.size() + " claims " +
                        Integer.toUnsignedString(length) + " bytes, more than " + SNAPLEN);
                }
                frames.add(readFully(in, length, file, "record " + frames.size()));
            }
        }
    }

    /** Writes {@code frames} as a little-endian, microsecond pcap file of Ethernet frames with zero timestamps. */
    public static void write(final Path file, final List<byte[]> frames) throws IOException
    {
        final ByteBuffer global = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        global.putInt(MAGIC_OFFSET, MAGIC_MICROSECONDS);
        global.putShort(VERSION_MAJOR_OFFSET, (short)VERSION_MAJOR);
        global.putShort(VERSION_MINOR_OFFSET, (short)VERSION_MINOR);
        global.putInt(SNAPLEN_OFFSET, SNAPLEN);
        global.putInt(LINKTYPE_OFFSET, LINKTYPE_ETHERNET);
        try (OutputStream out = Files.newOutputStream(file))
        {
            out.write(global.array());
            final ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            for (final byte[] frame : frames)
            {
                if (frame.length > SNAPLEN)
                {
                    throw new IllegalArgumentException("a frame must be at most " + SNAPLEN + " bytes, length=" +
                        frame.length);
                }
                record.putInt(INCL_LEN_OFFSET, frame.length);
                record.putInt(ORIG_LEN_OFFSET, frame.length);
                out.write(record.array());
                out.write(frame);
            }
        }
    }

    private static byte[] readFully(final InputStream in, final int length, final Path file, final String what)
        throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length < length)
        {
            throw new EOFException(file + " ends inside the " + what + " (" + bytes.length + " of " + length +
                " bytes)");
        }
        return bytes;
    }
}
