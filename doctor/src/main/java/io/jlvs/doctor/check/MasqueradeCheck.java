package io.jlvs.doctor.check;

import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Role;
import io.jlvs.doctor.firewall.FirewallRule;
import io.jlvs.doctor.firewall.Hook;
import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * Real server (and a director that is also a real server, "Local"): no masquerade or SNAT rule may rewrite the
 * source of packets from the VIP, or the client gets its answer from an address it never asked and drops it.
 * <p>
 * A rule that names the VIP (or a prefix holding it) fails. A rule that rewrites every new connection leaving by the
 * interface only warns: netfilter NATs only the first packet of a connection, and a reply belongs to the client's
 * tracked connection; but once conntrack forgets it (a flush, a restart, a full table) the next reply is picked up
 * as a new connection and rewritten.
 */
public final class MasqueradeCheck implements Check
{
    public static final String ID = "masquerade";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String outgoing;
        if (context.role() == Role.DIRECTOR)
        {
            if (!hasLocalRealServer(context))
            {
                return;
            }
            outgoing = context.options().interfaceName().orElse(null);
        }
        else
        {
            outgoing = context.clientInterface().isKnown() ? context.clientInterface().value() : null;
        }
        if (!FirewallReport.readable(context, ID, findings))
        {
            return;
        }
        for (final int vip : context.options().vips())
        {
            final String vipText = Ipv4.toString(vip);
            final int before = findings.size();
            for (final FirewallRule rule : context.firewall().rules().rulesAt(Hook.POSTROUTING))
            {
                if (!rule.verdict().rewritesSource() || !rule.outputMayBe(outgoing))
                {
                    continue;
                }
                if (ReplyFirewallCheck.explicitlyCovers(rule.source(), vip))
                {
                    findings.add(Finding.fail(ID, rule.describe() + " rewrites the source of packets from " +
                        vipText + ": clients get replies from another address and drop them",
                        rule.deleteCommand()));
                }
                else if (rule.source() == null)
                {
                    findings.add(Finding.warn(ID, rule.describe() + " rewrites the source of every new " +
                        "connection" + (rule.outputInterface() == null ? "" : " leaving by " +
                        rule.outputInterface().pattern()) + ": replies keep " + vipText + " only while conntrack " +
                        "remembers the client's connection (after a flush or restart they are rewritten)",
                        Fixes.insertFirst(rule.chain(), "ip saddr " + vipText + " accept",
                            "-s " + vipText + "/32 -j RETURN")));
                }
            }
            if (findings.size() == before)
            {
                findings.add(Finding.ok(ID, "no masquerade or SNAT rule rewrites packets from " + vipText +
                    FirewallReport.toolsRead(context)));
            }
        }
    }

    /** Whether one of the director's real servers is this host itself (jlvs delivers to it locally). */
    static boolean hasLocalRealServer(final CheckContext context)
    {
        for (final DoctorOptions.RealServerTarget server : context.options().realServers())
        {
            if (context.isOwnAddress(server.address()))
            {
                return true;
            }
        }
        return false;
    }
}
