package io.jlvs.doctor.host;

import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.List;

/**
 * One IPv4 address of one interface, from a line of {@code ip -o addr show}:
 * <pre>
 * 3: eth0    inet 198.18.0.101/24 brd 198.18.0.255 scope global eth0\       valid_lft forever preferred_lft forever
 * 1: lo    inet 198.18.0.100/32 scope global lo\       valid_lft forever preferred_lft forever
 * 7: wg0    inet 10.0.0.1 peer 10.0.0.2/32 scope global wg0\  ...
 * </pre>
 */
public record IpAddress(String interfaceName, int address, int prefixLength, String scope)
{
    private static final String INET = "inet";
    private static final String SCOPE = "scope";
    private static final String PEER = "peer";
    private static final String UNKNOWN_SCOPE = "global";

    /** The connected prefix this address makes (for a point-to-point address, only itself). */
    public Prefix prefix()
    {
        return new Prefix(address, prefixLength);
    }

    /** {@code 198.18.0.100/32 on lo}. */
    @Override
    public String toString()
    {
        return Ipv4.toString(address) + "/" + prefixLength + " on " + interfaceName;
    }

    /** The IPv4 addresses in {@code ip -o addr show} output; IPv6 and lines it cannot read are skipped. */
    public static List<IpAddress> parse(final String text)
    {
        final List<IpAddress> addresses = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            final String[] words = line.replace('\\', ' ').trim().split("\\s+");
            // "N:" "NAME" "inet" "A/P" ...
            if (words.length < 4 || !words[0].endsWith(":") || !INET.equals(words[2]))
            {
                continue;
            }
            final String name = IpLink.baseName(words[1]);
            try
            {
                final int slash = words[3].indexOf('/');
                final int address = Ipv4.parse(slash < 0 ? words[3] : words[3].substring(0, slash));
                int length = slash < 0 ? Prefix.HOST_LENGTH : Integer.parseInt(words[3].substring(slash + 1));
                String scope = UNKNOWN_SCOPE;
                for (int i = 4; i + 1 < words.length; i++)
                {
                    if (SCOPE.equals(words[i]))
                    {
                        scope = words[i + 1];
                    }
                    else if (PEER.equals(words[i]))
                    {
                        // point-to-point: the local address alone is this host's; the peer's prefix is the route
                        length = Prefix.HOST_LENGTH;
                    }
                }
                addresses.add(new IpAddress(name, address, length, scope));
            }
            catch (final IllegalArgumentException ex)
            {
                // not an address we can read: skip the line, as promised
            }
        }
        return addresses;
    }
}
