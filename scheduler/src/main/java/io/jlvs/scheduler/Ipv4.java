package io.jlvs.scheduler;

/** IPv4 address helpers for the control plane (parsing, printing); addresses are ints in host byte order. */
public final class Ipv4
{
    private Ipv4()
    {
    }

    /** Parses dotted-quad text; throws {@link IllegalArgumentException} naming the text when it is not one. */
    public static int parse(final CharSequence text)
    {
        int value = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c >= '0' && c <= '9')
            {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255)
                {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
            }
            else if (c == '.' && octet >= 0 && dots < 3)
            {
                value = (value << 8) | octet;
                octet = -1;
                dots++;
            }
            else
            {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
        }
        if (dots != 3 || octet < 0)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return (value << 8) | octet;
    }

    public static String toString(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." +
            ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
