package io.jlvs.doctor.host;

import io.jlvs.scheduler.Ipv4;

/** An IPv4 prefix ({@code 198.18.0.0/24}): network bits and a length; addresses are ints in host byte order. */
public record Prefix(int address, int length)
{
    /** IPv4 addresses have 32 bits; a /32 names one host. */
    public static final int HOST_LENGTH = 32;

    public Prefix
    {
        if (length < 0 || length > HOST_LENGTH)
        {
            throw new IllegalArgumentException("prefix length must be 0..32, length=" + length);
        }
    }

    /** Parses {@code a.b.c.d} (a /32) or {@code a.b.c.d/n}; throws {@link IllegalArgumentException} otherwise. */
    public static Prefix parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            return new Prefix(Ipv4.parse(text), HOST_LENGTH);
        }
        final int length;
        try
        {
            length = Integer.parseInt(text.substring(slash + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not an IPv4 prefix: " + text, ex);
        }
        return new Prefix(Ipv4.parse(text.substring(0, slash)), length);
    }

    /** The netmask of a prefix length, as an int ({@code /24} is {@code 0xFFFFFF00}). */
    public static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (HOST_LENGTH - length);
    }

    /** The first address of the prefix. */
    public int network()
    {
        return address & mask(length);
    }

    /** The last address of the prefix. */
    public int last()
    {
        return network() | ~mask(length);
    }

    public boolean contains(final int candidate)
    {
        return (candidate & mask(length)) == network();
    }

    /** {@code a.b.c.d/n} as written (the address keeps its host bits, as {@code ip addr} prints it). */
    @Override
    public String toString()
    {
        return Ipv4.toString(address) + "/" + length;
    }
}
