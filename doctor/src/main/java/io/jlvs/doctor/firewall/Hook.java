package io.jlvs.doctor.firewall;

/** Where in the kernel's path a chain runs (netfilter hooks; {@link #NONE} for chains only jumped to). */
public enum Hook
{
    PREROUTING,
    INPUT,
    FORWARD,
    OUTPUT,
    POSTROUTING,
    /** netdev family: every frame the interface receives, after packet taps (AF_PACKET) have seen it. */
    INGRESS,
    /** netdev family: every frame the interface sends, packet sockets' included (Linux 5.16+). */
    EGRESS,
    NONE;

    /** The hook of an nft {@code hook NAME} or an iptables built-in chain name; {@link #NONE} for others. */
    public static Hook of(final String name)
    {
        for (final Hook hook : values())
        {
            if (hook.name().equalsIgnoreCase(name))
            {
                return hook;
            }
        }
        return NONE;
    }
}
