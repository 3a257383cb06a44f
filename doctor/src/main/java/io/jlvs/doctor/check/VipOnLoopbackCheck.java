package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.Prefix;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.scheduler.Ipv4;

import java.util.List;
import java.util.Optional;

/**
 * Real server: each VIP must be this host's own address, or the kernel drops the packets the director sends it; as a
 * /32 on lo (or, in TUN mode, on the tunnel device), so that no interface facing the clients announces it and no
 * prefix around it becomes local.
 */
public final class VipOnLoopbackCheck implements Check
{
    public static final String ID = "vip-on-lo";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        for (final int vip : context.options().vips())
        {
            findings.add(check(context, vip));
        }
    }

    private static Finding check(final CheckContext context, final int vip)
    {
        final String vipText = Ipv4.toString(vip);
        if (!context.addresses().isKnown())
        {
            return Finding.warn(ID, "cannot tell where " + vipText + " is configured: " +
                context.addresses().problem(), "");
        }
        final List<IpAddress> configured = context.addressesEqualTo(vip);
        if (configured.isEmpty())
        {
            final Known<RouteLookup> local = context.route(vip, 0);
            if (local.isKnown() && local.value().isLocal())
            {
                return Finding.ok(ID, vipText + " is on no interface but a local route makes it this host's own " +
                    "(dev " + local.value().device() + "): packets for it are accepted");
            }
            return Finding.fail(ID, vipText + " is not configured on this host: the kernel drops the packets the " +
                "director sends it", Fixes.addVipToLoopback(vip));
        }
        IpAddress wellPlaced = null;
        for (final IpAddress address : configured)
        {
            if (holdsVip(context, address.interfaceName()) && address.prefixLength() == Prefix.HOST_LENGTH)
            {
                wellPlaced = address;
            }
        }
        for (final IpAddress address : configured)
        {
            if (!holdsVip(context, address.interfaceName()))
            {
                final String fix = Fixes.deleteAddress(address) +
                    (wellPlaced == null ? Fixes.AND + Fixes.addVipToLoopback(vip) : "");
                return Finding.fail(ID, vipText + " is configured on " + address.interfaceName() + " as /" +
                    address.prefixLength() + ": this host answers ARP for it there and takes the VIP's traffic " +
                    "away from the director; it belongs on lo as a /32", fix);
            }
        }
        for (final IpAddress address : configured)
        {
            if (address.prefixLength() != Prefix.HOST_LENGTH)
            {
                final String fix = Fixes.deleteAddress(address) +
                    (wellPlaced == null ? Fixes.AND + Fixes.addVipToLoopback(vip) : "");
                return Finding.fail(ID, vipText + " is on " + address.interfaceName() + " as /" +
                    address.prefixLength() + ", not /32: the whole of " + prefixText(address) + " becomes this " +
                    "host's own, so replies to clients and servers in it never leave", fix);
            }
        }
        return Finding.ok(ID, vipText + " is on " + wellPlaced.interfaceName() + " as /32: accepted here, " +
            "announced on no interface");
    }

    /** lo always may hold the VIP; in TUN mode a tunnel device may too (the classic LVS-TUN recipe uses tunl0). */
    private static boolean holdsVip(final CheckContext context, final String interfaceName)
    {
        if (Fixes.LOOPBACK.equals(interfaceName))
        {
            return true;
        }
        final Optional<IpLink> link = context.link(interfaceName);
        return link.isPresent() && (link.get().isLoopback() ||
            (context.options().mode() == Mode.TUN && link.get().isTunnel()));
    }

    private static String prefixText(final IpAddress address)
    {
        final Prefix prefix = address.prefix();
        return Ipv4.toString(prefix.network()) + "/" + prefix.length();
    }

    /** Whether a route lookup ended on this host because a wider loopback prefix covers the destination. */
    static Optional<IpAddress> loopbackPrefixCovering(final CheckContext context, final int destination,
        final RouteLookup route)
    {
        if (!route.isLocal() || !context.addresses().isKnown())
        {
            return Optional.empty();
        }
        for (final IpAddress address : context.addresses().value())
        {
            // only a loopback device turns its whole prefix into local addresses (fib_add_ifaddr adds RTN_LOCAL)
            final Optional<IpLink> link = context.link(address.interfaceName());
            final boolean loopback = Fixes.LOOPBACK.equals(address.interfaceName()) ||
                (link.isPresent() && link.get().isLoopback());
            if (loopback && address.prefixLength() < Prefix.HOST_LENGTH && address.prefix().contains(destination))
            {
                return Optional.of(address);
            }
        }
        return Optional.empty();
    }
}
