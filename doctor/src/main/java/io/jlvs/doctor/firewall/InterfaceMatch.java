package io.jlvs.doctor.firewall;

/**
 * A rule's match on an interface name ({@code oifname "eth0"}, {@code -o eth+}); a trailing {@code *} (nft) or
 * {@code +} (iptables) matches every name that starts with what precedes it.
 */
public record InterfaceMatch(String pattern, boolean negated)
{
    public boolean matches(final String interfaceName)
    {
        final boolean hit;
        if (pattern.endsWith("*") || pattern.endsWith("+"))
        {
            hit = interfaceName.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        else
        {
            hit = interfaceName.equals(pattern);
        }
        return hit != negated;
    }

    @Override
    public String toString()
    {
        return (negated ? "!= " : "") + pattern;
    }
}
