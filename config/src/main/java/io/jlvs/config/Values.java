package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values of a statement (numbers, ports, addresses, times, booleans, MACs) and reports what was expected
 * and what was found, at the value's own position.
 */
final class Values
{
    static final int MAX_PORT = 0xFFFF;
    /** IPVS weights are 16-bit in ipvsadm and keepalived ({@code IPVS_WEIGHT_LIMIT}). */
    static final int MAX_WEIGHT = 0xFFFF;
    static final long MILLIS_PER_SECOND = 1000;
    private static final long MICROS_PER_MILLI = 1000;
    private static final int MICRO_DIGITS = 6;
    /** Longer digit strings would overflow a long; anything that long is out of every range anyway. */
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final int MAC_BYTES = 6;
    private static final int BITS_PER_BYTE = 8;
    private static final int HEX_RADIX = 16;

    /** keepalived's TIMER: seconds with up to microsecond resolution ({@code 3}, {@code 2.5}, {@code 0.000001}). */
    private static final Pattern TIMER = Pattern.compile("([0-9]{1,9})(?:\\.([0-9]{1,6}))?");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    /** Six hex bytes separated by ':' or '-', the same separator throughout (group 2 is the separator). */
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2})([:-])([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})" +
        "\\2([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})\\2([0-9A-Fa-f]{2})");

    private Values()
    {
    }

    /** The value at {@code index}, or an error after the end of the line naming what should have been there. */
    static Token required(final Statement statement, final int index, final String what) throws ConfigException
    {
        if (index < statement.values.size())
        {
            return text(statement.values.get(index));
        }
        final StringBuilder line = new StringBuilder(statement.name());
        for (final Token value : statement.values)
        {
            line.append(' ').append(value.text);
        }
        final String found = statement.hasBlock() ? "'{'" : "end of line";
        throw statement.lastOnLine().errorAfter("expected " + what + " after '" + line + "', found " + found);
    }

    /** A value that must be complete: an unterminated quote is an error once the value is used. */
    static Token text(final Token token) throws ConfigException
    {
        if (token.unterminated)
        {
            throw token.errorAfter("expected a closing quote, found end of line");
        }
        return token;
    }

    /**
     * A keyword that takes values but no block: a block after it is a mistake (often two keywords written on one
     * line, {@code weight 5 TCP_CHECK {}), and ignoring it would silently drop what it holds.
     */
    static void noBlock(final Statement statement) throws ConfigException
    {
        if (statement.hasBlock())
        {
            throw statement.open.error("expected end of line after '" + statement.name() + "', found '{'");
        }
    }

    /** Values after the ones a keyword takes: ignored, with a warning. */
    static void noMore(final Statement statement, final int taken, final Diagnostics diagnostics)
    {
        for (int i = taken; i < statement.values.size(); i++)
        {
            diagnostics.warn(statement.values.get(i), "unexpected " + statement.values.get(i).quotedText() +
                " after '" + statement.name() + "' is ignored");
        }
    }

    static int integer(final Token token, final long min, final long max, final String what) throws ConfigException
    {
        final String text = text(token).text;
        if (!INTEGER.matcher(text).matches() || text.length() > MAX_INTEGER_DIGITS)
        {
            throw token.error("expected " + what + ", found " + token.quotedText());
        }
        final long value = Long.parseLong(text);
        if (value < min || value > max)
        {
            throw token.error("expected " + what + ", found " + token.quotedText());
        }
        return (int)value;
    }

    static int port(final Token token) throws ConfigException
    {
        return integer(token, 0, MAX_PORT, "a port 0..65535");
    }

    static int ipv4(final Token token) throws ConfigException
    {
        final String text = text(token).text;
        if (text.indexOf(':') >= 0)
        {
            throw token.error("expected an IPv4 address (jlvs does not support IPv6), found " + token.quotedText());
        }
        try
        {
            return Ipv4.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw token.error("expected an IPv4 address, found " + token.quotedText());
        }
    }

    /** A keepalived TIMER in milliseconds, rounded up so that a non-zero time never becomes 0. */
    static long timerMs(final Token token, final String what) throws ConfigException
    {
        final Matcher matcher = TIMER.matcher(text(token).text);
        if (!matcher.matches())
        {
            throw token.error("expected " + what + " in seconds (such as 3 or 2.5), found " + token.quotedText());
        }
        final String fraction = matcher.group(2) == null ? "" : matcher.group(2);
        final long micros = Long.parseLong(matcher.group(1)) * MILLIS_PER_SECOND * MICROS_PER_MILLI +
            (fraction.isEmpty() ? 0 : Long.parseLong((fraction + "000000").substring(0, MICRO_DIGITS)));
        return (micros + MICROS_PER_MILLI - 1) / MICROS_PER_MILLI;
    }

    /** keepalived's BOOL: on|off|true|false|yes|no. */
    static boolean bool(final Token token) throws ConfigException
    {
        switch (text(token).text.toLowerCase(Locale.ROOT))
        {
            case "on": case "true": case "yes": return true;
            case "off": case "false": case "no": return false;
            default: throw token.error("expected on, off, true, false, yes or no, found " + token.quotedText());
        }
    }

    /** An optional BOOL after a flag keyword: the bare keyword means true. */
    static boolean optionalBool(final Statement statement, final Diagnostics diagnostics) throws ConfigException
    {
        if (statement.values.isEmpty())
        {
            return true;
        }
        noMore(statement, 1, diagnostics);
        return bool(statement.values.get(0));
    }

    /** A MAC as 48 bits in a long, first byte in bits 40..47 ({@code aa:bb:cc:dd:ee:ff} or with dashes). */
    static long mac(final Token token) throws ConfigException
    {
        final Matcher matcher = MAC.matcher(text(token).text);
        if (!matcher.matches())
        {
            throw token.error("expected a MAC address such as 52:54:00:12:34:56, found " + token.quotedText());
        }
        long mac = 0;
        for (int i = 0; i < MAC_BYTES; i++)
        {
            // Group 2 is the separator; the bytes are groups 1, 3, 4, 5, 6, 7.
            final int group = i == 0 ? 1 : i + 2;
            mac = (mac << BITS_PER_BYTE) | Integer.parseInt(matcher.group(group), HEX_RADIX);
        }
        return mac;
    }
}
