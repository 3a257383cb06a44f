package io.jlvs.arp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * MAC addresses as a {@code long} holding 48 bits, first octet in bits 40..47: parsing and formatting for the
 * control plane, reading and writing in frames for the forwarding thread (no allocation there).
 */
public final class MacAddress
{
    /** Octets in an Ethernet (EUI-48) address. */
    public static final int LENGTH = 6;

    /** The 48 bits a MAC occupies in a long. */
    public static final long MASK = 0xFFFF_FFFF_FFFFL;

    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = MASK;

    /** 00:00:00:00:00:00; never a valid station address (RFC 826 targets use it as "unknown"). */
    public static final long ZERO = 0L;

    /** The I/G bit: the least significant bit of the first octet marks a group (multicast or broadcast) address. */
    private static final long GROUP_BIT = 1L << 40;

    private static final int BITS_PER_OCTET = 8;
    private static final int OCTET_MASK = 0xFF;
    private static final int HIGH_BITS_SHIFT = 32;
    private static final int HIGH_BYTES = 2;
    private static final int HEX_DIGITS_PER_OCTET = 2;
    private static final int HEX_RADIX = 16;
    private static final int NIBBLE_BITS = 4;
    private static final int NIBBLE_MASK = 0xF;
    private static final char SEPARATOR = ':';
    /** "aa:bb:cc:dd:ee:ff": six octets of two digits and five separators. */
    private static final int TEXT_LENGTH = LENGTH * HEX_DIGITS_PER_OCTET + LENGTH - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress()
    {
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (hex digits in either case); control plane only.
     *
     * @throws IllegalArgumentException if the text is not six colon-separated two-digit hex octets.
     */
    public static long parse(final String text)
    {
        if (text == null || text.length() != TEXT_LENGTH)
        {
            throw new IllegalArgumentException("MAC must look like aa:bb:cc:dd:ee:ff, mac=" + text);
        }
        long mac = 0;
        for (int octet = 0; octet < LENGTH; octet++)
        {
            final int at = octet * (HEX_DIGITS_PER_OCTET + 1);
            final int high = Character.digit(text.charAt(at), HEX_RADIX);
            final int low = Character.digit(text.charAt(at + 1), HEX_RADIX);
            if (high < 0 || low < 0 || (octet < LENGTH - 1 && text.charAt(at + HEX_DIGITS_PER_OCTET) != SEPARATOR))
            {
                throw new IllegalArgumentException("MAC must look like aa:bb:cc:dd:ee:ff, mac=" + text);
            }
            mac = (mac << BITS_PER_OCTET) | ((long)high * HEX_RADIX + low);
        }
        return mac;
    }

    /** Formats as lower-case {@code aa:bb:cc:dd:ee:ff}; only the low 48 bits are used. */
    public static String toString(final long mac)
    {
        final char[] text = new char[TEXT_LENGTH];
        int at = 0;
        for (int octet = LENGTH - 1; octet >= 0; octet--)
        {
            final int value = (int)(mac >>> (octet * BITS_PER_OCTET)) & OCTET_MASK;
            text[at++] = HEX[value >>> NIBBLE_BITS];
            text[at++] = HEX[value & NIBBLE_MASK];
            if (octet > 0)
            {
                text[at++] = SEPARATOR;
            }
        }
        return new String(text);
    }

    /** Reads the six octets at {@code offset}; the caller has bounds-checked {@code offset + LENGTH}. */
    public static long read(final DirectBuffer buffer, final int offset)
    {
        final long high = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        final long low = buffer.getInt(offset + HIGH_BYTES, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        return (high << HIGH_BITS_SHIFT) | low;
    }

    /** Writes the low 48 bits of {@code mac} as six octets at {@code offset}. */
    public static void write(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putShort(offset, (short)(mac >>> HIGH_BITS_SHIFT), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + HIGH_BYTES, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /** A group address (multicast, including broadcast): never a host's own address. */
    public static boolean isGroup(final long mac)
    {
        return (mac & GROUP_BIT) != 0;
    }

    /** A 48-bit individual address other than all-zeroes: something a host can own and be sent to. */
    public static boolean isUnicast(final long mac)
    {
        return (mac & ~MASK) == 0 && mac != ZERO && !isGroup(mac);
    }
}
