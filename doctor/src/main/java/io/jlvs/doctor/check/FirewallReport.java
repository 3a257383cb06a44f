package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;

import java.util.List;

/** What every firewall check says first: which tools were read, and a warning for each that could not be. */
final class FirewallReport
{
    private FirewallReport()
    {
    }

    /**
     * Adds a warning per unreadable tool; returns false (after an OK finding saying so) when there is nothing to
     * check because neither nft nor iptables-save is installed.
     */
    static boolean readable(final CheckContext context, final String id, final List<Finding> findings)
    {
        final CheckContext.FirewallView view = context.firewall();
        for (final String problem : view.problems())
        {
            findings.add(Finding.warn(id, "cannot read the firewall rules (" + problem + "): they were not checked; " +
                "run the doctor as root", ""));
        }
        if (view.tools().isEmpty() && view.problems().isEmpty())
        {
            findings.add(Finding.ok(id, "neither nft nor iptables-save is installed: no firewall rules to check"));
            return false;
        }
        return !view.tools().isEmpty();
    }

    /** {@code (read: nft, iptables-save)}. */
    static String toolsRead(final CheckContext context)
    {
        return " (read: " + String.join(", ", context.firewall().tools()) + ")";
    }
}
