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
 * in DR mode when replies leave by another interface than the one facing the director. Loose mode (2) passes them,
 * except on a device without an IPv4 address: there {@code __fib_validate_source} gives up on the reverse route
 * ({@code no_addr}) and drops for any non-zero value, which is the usual case of tunl0 and of the tunnel endpoint's
 * TUN device. The kernel applies the larger of {@code all} and the device's value ({@code IN_DEV_MAXCONF}).
 */
public final class RpFilterCheck implements Check
{
    public static final String ID = "rp-filter";
    private static final String RP_FILTER = "rp_filter";
    /** RFC 3704 strict mode: the only value that drops asymmetric traffic. */
    private static final int STRICT = 1;
    /** Off: what a device without an IPv4 address needs. */
    private static final int OFF = 0;
    /** RFC 3704 loose mode: any route back to the source will do; what the fix sets where it is enough. */
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
            final String fix = Sysctls.writeCommand(Sysctls.confPath(Sysctls.ALL, RP_FILTER), Integer.toString(OFF));
            if (all == STRICT)
            {
                findings.add(Finding.fail(ID, "rp_filter is 1 (strict) for all interfaces: whichever device " +
                    "delivers the decapsulated packets, the route back to their clients leaves by another one, so " +
                    "the kernel drops them", fix));
            }
            else if (all != OFF)
            {
                findings.add(Finding.warn(ID, "rp_filter is " + all + " for all interfaces: a tunnel device without " +
                    "an IPv4 address (tunl0, the tunnel endpoint's TUN device) drops decapsulated packets at any " +
                    "value but 0, and the kernel uses the larger of all and the device", fix));
            }
            else
            {
                findings.add(Finding.ok(ID, "rp_filter is 0 for all interfaces; no tunnel device exists yet to check " +
                    "on its own (see ipip-decap)"));
            }
            return;
        }
        for (final String device : devices)
        {
            judge(context, findings, all, device, "decapsulated packets", "the physical interface",
                !context.addressesOf(device).isEmpty());
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
            replyDevice, true);
    }

    /**
     * Judges rp_filter for {@code packets} arriving on {@code device} whose route back leaves by {@code backBy}:
     * strict mode drops them; on a device without an IPv4 address loose mode does too.
     */
    private static void judge(
        final CheckContext context,
        final List<Finding> findings,
        final int all,
        final String device,
        final String packets,
        final String backBy,
        final boolean hasAddress)
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
        final boolean passes = hasAddress ? effective != STRICT : effective == OFF;
        if (passes)
        {
            findings.add(Finding.ok(ID, "rp_filter is " + effective + " on " + device + values + ": " +
                (effective == OFF ? "off" : "loose") + ", so " + packets + " pass although the route back to " +
                "their source leaves by " + backBy));
            return;
        }
        // a device with an address only needs strict mode lifted; one without needs the filter off
        final String target = hasAddress ? LOOSE : Integer.toString(OFF);
        final List<String> writes = new ArrayList<>();
        if (hasAddress ? all == STRICT : all != OFF)
        {
            writes.add(Sysctls.confPath(Sysctls.ALL, RP_FILTER));
            writes.add(target);
        }
        if (hasAddress ? own.value() == STRICT : own.value() != OFF)
        {
            writes.add(path);
            writes.add(target);
        }
        final String why = effective == STRICT ? "rp_filter is 1 (strict) on " + device + values + ": " :
            "rp_filter is " + effective + " (loose) on " + device + values + ", and " + device + " has no IPv4 " +
            "address, where loose mode drops too: ";
        findings.add(Finding.fail(ID, why + packets + " arrive on " + device + " but the route back to their " +
            "source leaves by " + backBy + ", so the kernel drops them",
            Sysctls.writeCommand(writes.toArray(new String[0]))));
    }
}
