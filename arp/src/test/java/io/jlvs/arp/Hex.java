package io.jlvs.arp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Golden frames as hex text: parse what a test shows, print what code wrote, so a mismatch reads byte by byte. */
final class Hex
{
    private Hex()
    {
    }

    /** Bytes from hex digits; whitespace and anything after a '#' on a line are ignored (room for annotations). */
    static UnsafeBuffer parse(final String text)
    {
        final StringBuilder digits = new StringBuilder();
        for (final String line : text.split("\n"))
        {
            final int comment = line.indexOf('#');
            digits.append((comment < 0 ? line : line.substring(0, comment)).replaceAll("\\s", ""));
        }
        if (digits.length() % 2 != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits: " + digits);
        }
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return new UnsafeBuffer(bytes);
    }

    /** "02 42 ac ..." for {@code length} bytes at {@code offset}. */
    static String of(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                text.append(' ');
            }
            text.append(String.format("%02x", buffer.getByte(offset + i) & 0xFF));
        }
        return text.toString();
    }

    /** Canonical form of golden hex text, to compare with {@link #of}. */
    static String normalise(final String text)
    {
        final UnsafeBuffer buffer = parse(text);
        return of(buffer, 0, buffer.capacity());
    }
}
