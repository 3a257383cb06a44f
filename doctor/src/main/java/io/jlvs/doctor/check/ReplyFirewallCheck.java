package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.firewall.AddressMatch;
import io.jlvs.doctor.firewall.Firewall;
import io.jlvs.doctor.firewall.FirewallChain;
import io.jlvs.doctor.firewall.FirewallRule;
import io.jlvs.doctor.firewall.Hook;
import io.jlvs.doctor.firewall.Verdict;
import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * Real server: no firewall rule may drop the VIP's packets: requests to it on the way in, replies from it on the way
 * out; and an output chain that drops by default must accept established connections or the VIP's packets.
 */
public final class ReplyFirewallCheck implements Check
{
    public static final String ID = "firewall";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (!FirewallReport.readable(context, ID, findings))
        {
            return;
        }
        final Firewall firewall = context.firewall().rules();
        final String facing = context.clientInterface().isKnown() ? context.clientInterface().value() : null;
        for (final int vip : context.options().vips())
        {
            final String vipText = Ipv4.toString(vip);
            final int before = findings.size();
            for (final FirewallRule rule : firewall.rules())
            {
                final Hook hook = rule.chain().hook();
                if (!rule.verdict().discards())
                {
                    continue;
                }
                if ((hook == Hook.OUTPUT || hook == Hook.POSTROUTING) && explicitlyCovers(rule.source(), vip) &&
                    rule.outputMayBe(facing))
                {
                    findings.add(Finding.fail(ID, rule.describe() + " drops packets from " + vipText +
                        ": the replies to clients never leave", rule.deleteCommand()));
                }
                else if ((hook == Hook.PREROUTING || hook == Hook.INPUT) && explicitlyCovers(rule.destination(), vip) &&
                    rule.inputMayBe(facing))
                {
                    findings.add(Finding.fail(ID, rule.describe() + " drops packets to " + vipText +
                        ": the requests never reach the service", rule.deleteCommand()));
                }
            }
            for (final FirewallChain chain : firewall.chains())
            {
                if (chain.hook() == Hook.OUTPUT && chain.policy() == Verdict.DROP && !acceptsReplies(firewall, chain, vip))
                {
                    findings.add(Finding.warn(ID, chain.label() + " drops what no rule accepts, and no rule in it " +
                        "accepts established connections or packets from " + vipText + ": replies may be dropped",
                        Fixes.insertFirst(chain, "ct state established,related accept",
                            "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")));
                }
            }
            if (findings.size() == before)
            {
                findings.add(Finding.ok(ID, "no firewall rule drops packets from or to " + vipText +
                    FirewallReport.toolsRead(context)));
            }
        }
    }

    private static boolean acceptsReplies(final Firewall firewall, final FirewallChain chain, final int vip)
    {
        for (final FirewallRule rule : firewall.rulesOf(chain))
        {
            if (rule.verdict() == Verdict.ACCEPT && (rule.establishedOnly() || explicitlyCovers(rule.source(), vip)))
            {
                return true;
            }
        }
        return false;
    }

    /** A match that names addresses and includes {@code address} (a rule without one is too broad to blame). */
    static boolean explicitlyCovers(final AddressMatch match, final int address)
    {
        return match != null && !match.isEmpty() && match.covers(address);
    }
}
