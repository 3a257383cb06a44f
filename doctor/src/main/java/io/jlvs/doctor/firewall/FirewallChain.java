package io.jlvs.doctor.firewall;

/**
 * A chain: where it hooks in, the device of a netdev chain (empty otherwise), and its policy (what happens to a packet
 * no rule decided; {@link Verdict#ACCEPT} for chains without one).
 */
public record FirewallChain(String origin, String table, String name, Hook hook, String device, Verdict policy)
{
    /** {@code nft: inet filter output}, {@code iptables: filter OUTPUT}. */
    public String label()
    {
        return origin + " " + table + " " + name;
    }
}
