package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * Director: the VIP must not be this host's own address. jlvs answers ARP for it; if the kernel holds it too, the
 * kernel also answers and accepts the VIP's packets itself (answering or resetting connections jlvs forwards
 * elsewhere). The exception is a director that is also a real server ("Local"): the VIP on lo receives the
 * connections jlvs delivers locally.
 */
public final class VipNotLocalCheck implements Check
{
    public static final String ID = "vip-not-local";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (context.options().vips().isEmpty())
        {
            findings.add(Finding.warn(ID, "no VIP given (--vip or --config): cannot check that the kernel leaves " +
                "the VIPs to jlvs", ""));
            return;
        }
        final boolean local = MasqueradeCheck.hasLocalRealServer(context);
        for (final int vip : context.options().vips())
        {
            findings.add(check(context, vip, local));
        }
    }

    private static Finding check(final CheckContext context, final int vip, final boolean localRealServer)
    {
        final String vipText = Ipv4.toString(vip);
        if (!context.addresses().isKnown())
        {
            return Finding.warn(ID, context.addresses().problem(), "");
        }
        for (final IpAddress address : context.addressesEqualTo(vip))
        {
            final boolean loopback = Fixes.LOOPBACK.equals(address.interfaceName()) ||
                context.link(address.interfaceName()).map(link -> link.isLoopback()).orElse(false);
            if (loopback && localRealServer)
            {
                return Finding.ok(ID, vipText + " is on " + address.interfaceName() + " because this director is " +
                    "also a real server (Local): jlvs delivers those connections to it and forwards the rest");
            }
            return Finding.fail(ID, vipText + " is configured on " + address.interfaceName() + " (" +
                address.prefix() + "): the kernel answers ARP for it and accepts its packets itself, beside jlvs",
                Fixes.deleteAddress(address));
        }
        final Known<RouteLookup> route = context.route(vip, 0);
        if (route.isKnown() && route.value().isLocal())
        {
            return Finding.fail(ID, "a local route makes " + vipText + " this host's own (dev " +
                route.value().device() + "): the kernel accepts its packets itself, beside jlvs; remove it (ip " +
                "route show table local)", "");
        }
        return Finding.ok(ID, vipText + " is not configured on this host: only jlvs answers for it");
    }
}
