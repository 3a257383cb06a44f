package io.jlvs.conntrack;

/**
 * IP protocol numbers of the transports the connection table tracks.
 */
public final class IpProtocol
{
    public static final int TCP = 6;
    public static final int UDP = 17;

    private IpProtocol()
    {
    }

    /** The name ipvsadm prints for a protocol ({@code TCP}, {@code UDP}, or the number). */
    public static String name(final int protocol)
    {
        switch (protocol)
        {
            case TCP:
                return "TCP";
            case UDP:
                return "UDP";
            default:
                return Integer.toString(protocol);
        }
    }
}
