package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.firewall.Firewall;
import io.jlvs.doctor.firewall.FirewallChain;
import io.jlvs.doctor.firewall.FirewallRule;
import io.jlvs.doctor.firewall.Hook;
import io.jlvs.doctor.firewall.Verdict;
import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * Director: no rule may steal or drop the VIP's frames. jlvs's packet socket sees every frame before netfilter, so
 * an ingress drop is harmless (it is how the host's own stack is kept out of the way); but a prerouting DNAT,
 * REDIRECT or TPROXY makes the kernel answer the VIP's clients too, and a netdev egress drop on the interface
 * discards the frames jlvs sends (egress hooks see packet sockets' frames, Linux 5.16+).
 */
public final class DirectorFirewallCheck implements Check
{
    public static final String ID = "firewall";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (!FirewallReport.readable(context, ID, findings))
        {
            return;
        }
        final String name = context.options().interfaceName().orElseThrow();
        final Firewall firewall = context.firewall().rules();
        for (final int vip : context.options().vips())
        {
            final String vipText = Ipv4.toString(vip);
            final int before = findings.size();
            boolean ingressDrop = false;
            for (final FirewallRule rule : firewall.rules())
            {
                final Hook hook = rule.chain().hook();
                if (hook == Hook.PREROUTING && rule.verdict().divertsDestination() &&
                    ReplyFirewallCheck.explicitlyCovers(rule.destination(), vip) && rule.inputMayBe(name))
                {
                    findings.add(Finding.fail(ID, rule.describe() + " takes packets for " + vipText + " to this " +
                        "host's stack: the kernel answers the clients jlvs forwards too", rule.deleteCommand()));
                }
                else if (hook == Hook.EGRESS && onDevice(rule.chain(), name) && rule.verdict().discards() &&
                    rule.destinationMayBe(vip))
                {
                    findings.add(Finding.fail(ID, rule.describe() + " drops frames to " + vipText + " leaving " +
                        name + ": egress hooks see jlvs's packet socket, so the frames it forwards are lost",
                        rule.deleteCommand()));
                }
                else if (hook == Hook.INGRESS && onDevice(rule.chain(), name) && rule.verdict().discards() &&
                    ReplyFirewallCheck.explicitlyCovers(rule.destination(), vip))
                {
                    ingressDrop = true;
                }
            }
            for (final FirewallChain chain : firewall.chains())
            {
                if (chain.hook() == Hook.EGRESS && onDevice(chain, name) && chain.policy() == Verdict.DROP)
                {
                    findings.add(Finding.fail(ID, chain.label() + " on " + name + " drops by default: frames jlvs " +
                        "forwards leave only if a rule in it accepts them", ""));
                }
            }
            if (findings.size() == before)
            {
                findings.add(Finding.ok(ID, "no rule steals or drops frames to " + vipText + " on " + name +
                    (ingressDrop ? "; an ingress rule drops them after jlvs's packet socket has seen them, which " +
                    "keeps this host's own stack out of the way" : "") + FirewallReport.toolsRead(context)));
            }
        }
    }

    private static boolean onDevice(final FirewallChain chain, final String name)
    {
        return chain.device().isEmpty() || chain.device().equals(name);
    }
}
