package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.scheduler.Ipv4;

import java.util.List;
import java.util.Optional;

/**
 * Real server: {@code ip route get CLIENT from VIP} must leave by a physical interface, straight to the client (DR
 * and TUN replies never go back through the director), not into a tunnel and not to this host itself.
 */
public final class ReplyRouteCheck implements Check
{
    public static final String ID = "reply-route";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (context.clientGiven() && context.isOwnAddress(context.client()))
        {
            // client-local explains this case
            return;
        }
        for (final int vip : context.options().vips())
        {
            final boolean vipIsLocal = context.isOwnAddress(vip) ||
                (context.route(vip, 0).isKnown() && context.route(vip, 0).value().isLocal());
            if (!vipIsLocal)
            {
                // vip-on-lo fails first; a route from an address this host does not hold cannot be asked for
                continue;
            }
            findings.add(check(context, vip));
        }
    }

    private static Finding check(final CheckContext context, final int vip)
    {
        final String what = "replies from " + Ipv4.toString(vip) + " to " + context.clientText();
        final Known<RouteLookup> lookup = context.route(context.client(), vip);
        if (!lookup.isKnown())
        {
            final String message = "no route for " + what + " (" + lookup.problem() + "): they cannot leave";
            return context.clientGiven() ? Finding.fail(ID, message, "") : Finding.warn(ID, message, "");
        }
        final RouteLookup route = lookup.value();
        if (route.isLocal())
        {
            final Optional<IpAddress> wide = VipOnLoopbackCheck.loopbackPrefixCovering(context, context.client(),
                route);
            if (wide.isPresent())
            {
                return Finding.fail(ID, what + " stay on this host: " + wide.get() + " makes " +
                    Ipv4.toString(context.client()) + " a local address", Fixes.deleteAddress(wide.get()) +
                    Fixes.AND + Fixes.addVipToLoopback(vip));
            }
            return Finding.fail(ID, what + " stay on this host: a local route covers " +
                Ipv4.toString(context.client()) + " (ip route show table local)", "");
        }
        if (!RouteLookup.UNICAST.equals(route.type()))
        {
            return Finding.fail(ID, what + " hit a route of type " + route.type() + ": they are dropped", "");
        }
        final String via = route.gateway().isPresent() ? " via " + Ipv4.toString(route.gateway().getAsInt()) : "";
        final Optional<IpLink> device = context.link(route.device());
        if (device.isPresent() && device.get().isTunnel())
        {
            return Finding.fail(ID, what + " leave by " + route.device() + via + ", a tunnel device: they go " +
                "back into a tunnel instead of straight to the client", "");
        }
        final Known<String> facing = context.clientInterface();
        if (facing.isKnown() && !facing.value().equals(route.device()))
        {
            return Finding.warn(ID, what + " leave by " + route.device() + via + ", not by " + facing.value() +
                " where the requests arrive: fine if " + route.device() + " reaches the clients (see rp-filter)",
                "");
        }
        return Finding.ok(ID, what + " leave by " + route.device() + via + ", straight to the client");
    }
}
