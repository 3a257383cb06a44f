package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.doctor.host.Sysctls;
import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.List;

/**
 * Real server: reverse-path filtering must let the director's packets in. Strict mode ({@code rp_filter=1}) drops a
 * packet whose source the host would not reach back through the interface it came in on: in TUN mode every
 * decapsulated packet (it arrives on the tunnel device, the route to the client leaves by the physical interface);
 * in DR mode when replies leave by another interface than the one facing the director. The kernel applies the larger
 * of {@code all} and the interface's value ({@code IN_DEV_MAXCONF}); 0 (off) and 2 (loose) both pass.
 */
public final class RpFilterCheck implements Check
{
    public static final String ID = "rp-filter";
    private static final String RP_FILTER = "rp_filter";
    /** RFC 3704 strict mode: the only value that drops asymmetric traffic. */
    private static final int STRICT = 1;
    /** RFC 3704 loose mode: any route back to the source will do; what the fix sets. */
    private static final String LOOSE = "2";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String allPath = Sysctls.confPath(Sysctls.ALL, RP_FILTER);
        final Known<Integer> all = context.sysctlInt(allPath);
        if (!all.isKnown())
        {
            findings.add(Finding.warn(ID, all.problem(), ""));
            return;
        }
        if (context.options().mode() == Mode.TUN)
        {
            tunnel(context, findings, all.value());
        }
        else
        {
            directRouting(context, findings, all.value());
        }
    }

    private static void tunnel(final CheckContext context, final List<Finding> findings, final int all)
    {
        final List<String> devices = new ArrayList<>();
        if (context.links().isKnown())
        {
            for (final IpLink link : context.links().value())
            {
                if (link.isTunnel())
                {
                    devices.add(link.name());
                }
            }
        }
        if (devices.isEmpty())
        {
            if (all == STRICT)
            {
                findings.add(Finding.fail(ID, "rp_filter is 1 (strict) for all interfaces: whichever device " +
                    "delivers the decapsulated packets, the route back to their clients leaves by another one, so " +
                    "the kernel drops them", Sysctls.writeCommand(Sysctls.confPath(Sysctls.ALL, RP_FILTER), LOOSE)));
            }
            else
            {
                findings.add(Finding.ok(ID, "rp_filter is " + all + " for all interfaces; no tunnel device exists " +
                    "yet to check on its own (see ipip-decap)"));
            }
            return;
        }
        for (final String device : devices)
        {
            judge(context, findings, all, device, "decapsulated packets", "the physical interface");
        }
    }

    private static void directRouting(final CheckContext context, final List<Finding> findings, final int all)
    {
        final Known<String> facing = context.clientInterface();
        if (!facing.isKnown() || context.options().vips().isEmpty())
        {
            return;
        }
        final int vip = context.options().vips().get(0);
        final Known<RouteLookup> route = context.route(context.client(), vip);
        if (!route.isKnown() || route.value().isLocal() || route.value().device().isEmpty())
        {
            // no reply route to compare with: reply-route says why
            return;
        }
        final String replyDevice = route.value().device();
        if (replyDevice.equals(facing.value()))
        {
            final Known<Integer> own = context.sysctlInt(Sysctls.confPath(facing.value(), RP_FILTER));
            final String value = own.isKnown() ? Integer.toString(Math.max(all, own.value())) : "?";
            findings.add(Finding.ok(ID, "rp_filter is " + value + " on " + facing.value() + ": it passes, since " +
                "replies to " + Ipv4.toString(context.client()) + " leave by " + replyDevice +
                ", where the requests arrive"));
            return;
        }
        judge(context, findings, all, facing.value(), "requests from " + Ipv4.toString(context.client()),
            replyDevice);
    }

    /**
     * Judges rp_filter for {@code packets} arriving on {@code device} whose route back leaves by {@code backBy}.
     */
    private static void judge(
        final CheckContext context,
        final List<Finding> findings,
        final int all,
        final String device,
        final String packets,
        final String backBy)
    {
        final String path = Sysctls.confPath(device, RP_FILTER);
        final Known<Integer> own = context.sysctlInt(path);
        if (!own.isKnown())
        {
            findings.add(Finding.warn(ID, own.problem(), ""));
            return;
        }
        final int effective = Math.max(all, own.value());
        final String values = " (all=" + all + ", " + device + "=" + own.value() + "; the kernel uses the larger)";
        if (effective != STRICT)
        {
            findings.add(Finding.ok(ID, "rp_filter is " + effective + " on " + device + values + ": " +
                (effective == 0 ? "off" : "loose") + ", so " + packets + " pass although the route back to " +
                "their source leaves by " + backBy));
            return;
        }
        final List<String> writes = new ArrayList<>();
        if (all == STRICT)
        {
            writes.add(Sysctls.confPath(Sysctls.ALL, RP_FILTER));
            writes.add(LOOSE);
        }
        if (own.value() == STRICT)
        {
            writes.add(path);
            writes.add(LOOSE);
        }
        findings.add(Finding.fail(ID, "rp_filter is 1 (strict) on " + device + values + ": " + packets +
            " arrive on " + device + " but the route back to their source leaves by " + backBy + ", so the kernel " +
            "drops them", Sysctls.writeCommand(writes.toArray(new String[0]))));
    }
}
