package io.jlvs.doctor.host;

import io.jlvs.scheduler.Ipv4;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What {@code ip route get} answered:
 * <pre>
 * 198.18.0.10 from 198.18.0.100 dev eth0 uid 0 \    cache
 * 203.0.113.7 from 198.18.0.100 via 198.18.0.1 dev eth0 uid 0
 * local 198.18.0.100 dev lo table local src 198.18.0.100 uid 0
 * </pre>
 * The first word is a route type when it is not an address ({@code local}, {@code unreachable}, ...); unicast routes
 * print none.
 */
public record RouteLookup(String type, int destination, String device, OptionalInt gateway)
{
    /** The route type ip prints nothing for. */
    public static final String UNICAST = "unicast";
    /** Delivered to this host. */
    public static final String LOCAL = "local";
    private static final Set<String> TYPES =
        Set.of(LOCAL, "broadcast", "multicast", "unreachable", "prohibit", "blackhole", "throw", "nat", "anycast");
    private static final String DEV = "dev";
    private static final String VIA = "via";

    public boolean isLocal()
    {
        return LOCAL.equals(type);
    }

    /** Parses the first line of {@code ip route get} output; empty when it names no destination. */
    public static Optional<RouteLookup> parse(final String text)
    {
        final String[] words = text.replace('\\', ' ').trim().split("\\s+");
        int i = 0;
        String type = UNICAST;
        if (words.length > 0 && TYPES.contains(words[0]))
        {
            type = words[0];
            i = 1;
        }
        if (i >= words.length)
        {
            return Optional.empty();
        }
        final int destination;
        try
        {
            destination = Ipv4.parse(words[i]);
        }
        catch (final IllegalArgumentException ex)
        {
            return Optional.empty();
        }
        String device = "";
        OptionalInt gateway = OptionalInt.empty();
        for (int k = i + 1; k + 1 < words.length; k++)
        {
            if (DEV.equals(words[k]))
            {
                device = words[k + 1];
            }
            else if (VIA.equals(words[k]))
            {
                try
                {
                    gateway = OptionalInt.of(Ipv4.parse(words[k + 1]));
                }
                catch (final IllegalArgumentException ex)
                {
                    // "via inet6 ..." or another family: not a gateway this IPv4 check can name
                }
            }
        }
        return Optional.of(new RouteLookup(type, destination, device, gateway));
    }
}
