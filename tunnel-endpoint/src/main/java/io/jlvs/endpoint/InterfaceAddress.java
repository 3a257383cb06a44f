package io.jlvs.endpoint;

/**
 * One IPv4 address of this host as the kernel lists it ({@code ip -4 addr}): the device it is on, the address in
 * host byte order and its prefix length.
 */
public record InterfaceAddress(String interfaceName, int address, int prefixLength)
{
    /** {@code a.b.c.d} of a host-order address. */
    public static String dotted(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /** A dotted quad to a host-order address. */
    public static int parse(final String dotted)
    {
        final String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
        }
        int address = 0;
        for (final String part : parts)
        {
            final int value;
            try
            {
                value = Integer.parseInt(part);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'", ex);
            }
            if (value < 0 || value > 0xFF || part.length() > 3)
            {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
            }
            address = (address << 8) | value;
        }
        return address;
    }

    @Override
    public String toString()
    {
        return dotted(address) + "/" + prefixLength + " dev " + interfaceName;
    }
}
