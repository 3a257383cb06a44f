package io.jlvs.doctor.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One interface, from a line of {@code ip -o link show}:
 * <pre>
 * 3: eth0@if7: &lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt; mtu 1500 qdisc noqueue state UP mode DEFAULT ...\    link/ether 2a:..
 * 5: tunl0@NONE: &lt;NOARP,UP,LOWER_UP&gt; mtu 1480 qdisc noqueue state UNKNOWN ...\    link/ipip 0.0.0.0 brd 0.0.0.0
 * 2: eth1: &lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt; mtu 1500 xdpgeneric qdisc ...\    link/ether ..\    prog/xdp id 42 ..
 * </pre>
 * The link type ({@code ether}, {@code loopback}, {@code ipip}, {@code none} for a TUN device, ...) is the word after
 * {@code link/}.
 */
public record IpLink(String name, int mtu, Set<String> flags, String state, String linkType, boolean xdp)
{
    private static final String MTU = "mtu";
    private static final String STATE = "state";
    private static final String LINK_PREFIX = "link/";
    private static final String XDP_PREFIX = "xdp";
    private static final String XDP_PROGRAM = "prog/xdp";
    /** Link types of devices that carry tunnelled packets: IPIP, GRE, SIT, IPv6 tunnels, and TUN devices. */
    private static final Set<String> TUNNEL_TYPES = Set.of("ipip", "gre", "sit", "tunnel6", "ip6tnl", "none");
    private static final String ETHER = "ether";
    private static final String LOOPBACK = "loopback";
    private static final String FLAG_UP = "UP";
    private static final String FLAG_LOWER_UP = "LOWER_UP";
    private static final int UNKNOWN_MTU = -1;

    /** Administratively up ({@code ip link set dev X up}). */
    public boolean isUp()
    {
        return flags.contains(FLAG_UP);
    }

    /** The link below has carrier (cable, peer, or a virtual device that is always ready). */
    public boolean hasCarrier()
    {
        return flags.contains(FLAG_LOWER_UP);
    }

    public boolean isEthernet()
    {
        return ETHER.equals(linkType);
    }

    public boolean isLoopback()
    {
        return LOOPBACK.equals(linkType);
    }

    /** An IPIP/GRE/SIT tunnel or a TUN device: what decapsulated packets come in by. */
    public boolean isTunnel()
    {
        return TUNNEL_TYPES.contains(linkType);
    }

    /** {@code eth0} of {@code eth0@if7}: ip prints a veth's or a tunnel's peer after the at sign. */
    public static String baseName(final String word)
    {
        final String name = word.endsWith(":") ? word.substring(0, word.length() - 1) : word;
        final int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }

    /** The interfaces in {@code ip -o link show} output; lines it cannot read are skipped. */
    public static List<IpLink> parse(final String text)
    {
        final List<IpLink> links = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            final String[] words = line.replace('\\', ' ').trim().split("\\s+");
            // "N:" "NAME:" "<FLAGS>" ...
            if (words.length < 3 || !words[0].endsWith(":") || !words[1].endsWith(":") || !words[2].startsWith("<"))
            {
                continue;
            }
            final String flagText = words[2].substring(1, words[2].endsWith(">") ? words[2].length() - 1 :
                words[2].length());
            final Set<String> flags = new LinkedHashSet<>(Arrays.asList(flagText.split(",")));
            int mtu = UNKNOWN_MTU;
            String state = "";
            String linkType = "";
            boolean xdp = false;
            for (int i = 3; i < words.length; i++)
            {
                final String word = words[i];
                if (MTU.equals(word) && i + 1 < words.length)
                {
                    mtu = parseMtu(words[i + 1]);
                }
                else if (STATE.equals(word) && i + 1 < words.length)
                {
                    state = words[i + 1];
                }
                else if (word.startsWith(XDP_PROGRAM) || word.startsWith(XDP_PREFIX))
                {
                    xdp = true;
                }
                else if (word.startsWith(LINK_PREFIX) && linkType.isEmpty())
                {
                    linkType = word.substring(LINK_PREFIX.length());
                }
            }
            links.add(new IpLink(baseName(words[1]), mtu, flags, state, linkType, xdp));
        }
        return links;
    }

    private static int parseMtu(final String word)
    {
        try
        {
            return Integer.parseInt(word);
        }
        catch (final NumberFormatException ex)
        {
            return UNKNOWN_MTU;
        }
    }
}
