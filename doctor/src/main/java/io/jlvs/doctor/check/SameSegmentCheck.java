package io.jlvs.doctor.check;

import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.Prefix;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.List;

/**
 * Director: DR rewrites only the destination MAC, so each DR real server must sit on the interface's L2 segment;
 * its address inside one of the interface's connected prefixes is the sign of that. A TUN real server may be
 * anywhere the director has a route to.
 */
public final class SameSegmentCheck implements Check
{
    public static final String ID = "same-segment";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String name = context.options().interfaceName().orElseThrow();
        if (context.options().realServers().isEmpty())
        {
            findings.add(Finding.ok(ID, "no real servers given: --config FILE names them, to check that each DR " +
                "real server shares " + name + "'s segment"));
            return;
        }
        if (!context.addresses().isKnown())
        {
            findings.add(Finding.warn(ID, context.addresses().problem(), ""));
            return;
        }
        if (context.links().isKnown() && context.link(name).isEmpty())
        {
            // the interface check names the missing interface; its prefixes cannot be judged
            return;
        }
        final List<Prefix> connected = new ArrayList<>();
        for (final IpAddress address : context.addressesOf(name))
        {
            if (address.prefixLength() < Prefix.HOST_LENGTH)
            {
                connected.add(address.prefix());
            }
        }
        for (final DoctorOptions.RealServerTarget server : context.options().realServers())
        {
            findings.add(check(context, name, connected, server));
        }
    }

    private static Finding check(
        final CheckContext context,
        final String name,
        final List<Prefix> connected,
        final DoctorOptions.RealServerTarget server)
    {
        final String address = Ipv4.toString(server.address());
        if (context.isOwnAddress(server.address()))
        {
            return Finding.ok(ID, "real server " + address + " is this host (Local): jlvs delivers to its own stack");
        }
        if (server.method() == Mode.TUN)
        {
            final Known<RouteLookup> route = context.route(server.address(), 0);
            if (!route.isKnown())
            {
                return Finding.fail(ID, "no route to TUN real server " + address + " (" + route.problem() + ")", "");
            }
            return Finding.ok(ID, "real server " + address + " is TUN: it may sit on any network; it is reached by " +
                route.value().device() + (route.value().gateway().isPresent() ? " via " +
                Ipv4.toString(route.value().gateway().getAsInt()) : ""));
        }
        for (final Prefix prefix : connected)
        {
            if (prefix.contains(server.address()))
            {
                return Finding.ok(ID, "real server " + address + " is in " + name + "'s prefix " + prefix +
                    ": DR can reach it by its MAC");
            }
        }
        final List<String> prefixes = new ArrayList<>();
        for (final Prefix prefix : connected)
        {
            prefixes.add(prefix.toString());
        }
        return Finding.warn(ID, "DR real server " + address + " is in none of " + name + "'s prefixes (" +
            (prefixes.isEmpty() ? "it has none" : String.join(", ", prefixes)) + "): DR rewrites only the MAC, so " +
            "it works only if the server is on the same L2 segment anyway; otherwise use TUN for it", "");
    }
}
