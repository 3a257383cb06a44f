package io.jlvs.doctor.firewall;

import java.util.ArrayList;
import java.util.List;

/** The chains and rules read from one host's firewall tools, nft and iptables together. */
public record Firewall(List<FirewallChain> chains, List<FirewallRule> rules)
{
    public Firewall
    {
        chains = List.copyOf(chains);
        rules = List.copyOf(rules);
    }

    public static Firewall empty()
    {
        return new Firewall(List.of(), List.of());
    }

    /** Both together, this one's first. */
    public Firewall plus(final Firewall other)
    {
        final List<FirewallChain> allChains = new ArrayList<>(chains);
        allChains.addAll(other.chains);
        final List<FirewallRule> allRules = new ArrayList<>(rules);
        allRules.addAll(other.rules);
        return new Firewall(allChains, allRules);
    }

    /** The rules of chains hooked at {@code hook}, in order. */
    public List<FirewallRule> rulesAt(final Hook hook)
    {
        final List<FirewallRule> matching = new ArrayList<>();
        for (final FirewallRule rule : rules)
        {
            if (rule.chain().hook() == hook)
            {
                matching.add(rule);
            }
        }
        return matching;
    }

    /** The rules of one chain, in order. */
    public List<FirewallRule> rulesOf(final FirewallChain chain)
    {
        final List<FirewallRule> matching = new ArrayList<>();
        for (final FirewallRule rule : rules)
        {
            if (rule.chain().equals(chain))
            {
                matching.add(rule);
            }
        }
        return matching;
    }
}
