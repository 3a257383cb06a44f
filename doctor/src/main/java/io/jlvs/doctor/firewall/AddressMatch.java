package io.jlvs.doctor.firewall;

import io.jlvs.doctor.host.Prefix;
import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's match on an IPv4 address: a set of ranges (single addresses, prefixes, {@code a-b} ranges, set elements),
 * possibly negated ({@code ip saddr != ...}, {@code ! -s ...}).
 */
public final class AddressMatch
{
    private final long[] lows;
    private final long[] highs;
    private final boolean negated;
    private final String text;

    private AddressMatch(final List<long[]> ranges, final boolean negated, final String text)
    {
        this.lows = new long[ranges.size()];
        this.highs = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++)
        {
            lows[i] = ranges.get(i)[0];
            highs[i] = ranges.get(i)[1];
        }
        this.negated = negated;
        this.text = text;
    }

    /**
     * Builds a match from elements such as {@code 198.18.0.100}, {@code 198.18.0.0/24}, {@code 10.0.0.1-10.0.0.9};
     * elements that are not IPv4 are ignored. Empty when none is.
     */
    public static AddressMatch of(final List<String> elements, final boolean negated, final String text)
    {
        final List<long[]> ranges = new ArrayList<>();
        for (final String element : elements)
        {
            final long[] range = range(element.trim());
            if (range != null)
            {
                ranges.add(range);
            }
        }
        return new AddressMatch(ranges, negated, text);
    }

    /** Whether a packet with this address matches. */
    public boolean covers(final int address)
    {
        final long value = Integer.toUnsignedLong(address);
        boolean inside = false;
        for (int i = 0; i < lows.length; i++)
        {
            inside |= value >= lows[i] && value <= highs[i];
        }
        return inside != negated;
    }

    /** Whether it names any IPv4 address at all (a set of ports or of IPv6 addresses names none). */
    public boolean isEmpty()
    {
        return lows.length == 0;
    }

    public boolean negated()
    {
        return negated;
    }

    /** The match as the rule wrote it. */
    @Override
    public String toString()
    {
        return text;
    }

    private static long[] range(final String element)
    {
        try
        {
            final int dash = element.indexOf('-');
            if (dash > 0)
            {
                return new long[] {Integer.toUnsignedLong(Ipv4.parse(element.substring(0, dash))),
                    Integer.toUnsignedLong(Ipv4.parse(element.substring(dash + 1)))};
            }
            final Prefix prefix = Prefix.parse(element);
            return new long[] {Integer.toUnsignedLong(prefix.network()), Integer.toUnsignedLong(prefix.last())};
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
