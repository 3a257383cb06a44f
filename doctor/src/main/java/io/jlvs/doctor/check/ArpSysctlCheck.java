package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.host.Sysctls;

import java.util.ArrayList;
import java.util.List;

/**
 * Real server: {@code arp_ignore=1} (answer ARP only for addresses of the interface asked, so never for the VIP on
 * lo) and {@code arp_announce=2} (never put the VIP in this host's own ARP requests), for {@code all} and the
 * interface facing the clients. The kernel applies the larger of the two values ({@code IN_DEV_MAXCONF}), so both
 * are read and the effective one is judged.
 */
public final class ArpSysctlCheck implements Check
{
    public static final String IGNORE_ID = "arp-ignore";
    public static final String ANNOUNCE_ID = "arp-announce";
    private static final String ARP_IGNORE = "arp_ignore";
    private static final String ARP_ANNOUNCE = "arp_announce";
    /** Answer only for addresses configured on the interface the request came in on. */
    private static final int IGNORE_NOT_ON_INTERFACE = 1;
    /** As 1, and only when the asker's address is in that address's subnet. */
    private static final int IGNORE_NOT_IN_SUBNET = 2;
    /** Do not answer for host-scope addresses only; the VIP on lo is global, so it is still answered. */
    private static final int IGNORE_HOST_SCOPE = 3;
    /** Answer nothing at all: the director cannot learn this host's MAC. */
    private static final int IGNORE_EVERYTHING = 8;
    /** Always pick the best local address for the target as the ARP sender, never the VIP. */
    private static final int ANNOUNCE_BEST_LOCAL = 2;

    private final boolean ignore;

    private ArpSysctlCheck(final boolean ignore)
    {
        this.ignore = ignore;
    }

    /** The {@code arp-ignore} check. */
    public static ArpSysctlCheck arpIgnore()
    {
        return new ArpSysctlCheck(true);
    }

    /** The {@code arp-announce} check. */
    public static ArpSysctlCheck arpAnnounce()
    {
        return new ArpSysctlCheck(false);
    }

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String id = ignore ? IGNORE_ID : ANNOUNCE_ID;
        final String name = ignore ? ARP_IGNORE : ARP_ANNOUNCE;
        final int required = ignore ? IGNORE_NOT_ON_INTERFACE : ANNOUNCE_BEST_LOCAL;
        final String allPath = Sysctls.confPath(Sysctls.ALL, name);
        final Known<Integer> all = context.sysctlInt(allPath);
        if (!all.isKnown())
        {
            findings.add(Finding.warn(id, all.problem(), ""));
            return;
        }
        final Known<String> facing = context.clientInterface();
        Known<Integer> own = Known.unknown("");
        String interfacePath = null;
        if (facing.isKnown())
        {
            interfacePath = Sysctls.confPath(facing.value(), name);
            own = context.sysctlInt(interfacePath);
            if (!own.isKnown())
            {
                findings.add(Finding.warn(id, own.problem(), ""));
                return;
            }
        }
        final int effective = own.isKnown() ? Math.max(all.value(), own.value()) : all.value();
        final String where = facing.isKnown() ? facing.value() : "every interface";
        final String values = own.isKnown() ?
            " (all=" + all.value() + ", " + facing.value() + "=" + own.value() + "; the kernel uses the larger)" :
            " (all=" + all.value() + "; " + facing.problem() + ")";
        final boolean good = ignore ?
            effective == IGNORE_NOT_ON_INTERFACE || effective == IGNORE_NOT_IN_SUBNET :
            effective == ANNOUNCE_BEST_LOCAL;
        if (good)
        {
            findings.add(Finding.ok(id, name + " is " + effective + " on " + where + values + ": " +
                (ignore ? "it answers ARP only for its own addresses there, never for the VIP on lo" :
                    "its ARP requests never carry the VIP as their sender")));
            return;
        }
        final List<String> writes = new ArrayList<>();
        if (all.value() != required)
        {
            writes.add(allPath);
            writes.add(Integer.toString(required));
        }
        if (own.isKnown() && own.value() != required)
        {
            writes.add(interfacePath);
            writes.add(Integer.toString(required));
        }
        findings.add(Finding.fail(id, name + " is " + effective + " on " + where + values + ": " +
            consequence(effective, where), Sysctls.writeCommand(writes.toArray(new String[0]))));
    }

    private String consequence(final int effective, final String where)
    {
        if (!ignore)
        {
            return "ARP requests from this host may carry the VIP as their sender, and neighbours that learn it " +
                "send the VIP's traffic here instead of to the director";
        }
        if (effective == IGNORE_EVERYTHING)
        {
            return "this host answers no ARP at all on " + where + ", so the director cannot learn its MAC";
        }
        if (effective == IGNORE_HOST_SCOPE)
        {
            return "3 hides only host-scope addresses and the VIP on lo is global, so this host answers ARP for the " +
                "VIP and takes its traffic away from the director";
        }
        return "this host answers ARP for the VIP on " + where + " and takes the VIP's traffic away from the director";
    }
}
