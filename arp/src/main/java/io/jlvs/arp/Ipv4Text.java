package io.jlvs.arp;

/** Dotted-quad text of host-order IPv4 addresses, for error messages and listings (never on the hot path). */
final class Ipv4Text
{
    private static final int OCTETS = 4;
    private static final int BITS_PER_OCTET = 8;
    private static final int OCTET_MASK = 0xFF;

    private Ipv4Text()
    {
    }

    static String toString(final int address)
    {
        final StringBuilder text = new StringBuilder();
        for (int octet = OCTETS - 1; octet >= 0; octet--)
        {
            text.append((address >>> (octet * BITS_PER_OCTET)) & OCTET_MASK);
            if (octet > 0)
            {
                text.append('.');
            }
        }
        return text.toString();
    }
}
