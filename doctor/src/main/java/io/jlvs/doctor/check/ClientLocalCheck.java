package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.Sysctls;
import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * Real server, when the client given is one of this host's own addresses: a request from here to the VIP never
 * reaches the director (the VIP is local, so the kernel answers it itself); and in TUN mode a packet whose inner
 * source is a local address is a martian on the tunnel device unless {@code accept_local} is on (the kernel ORs
 * {@code all} and the device).
 */
public final class ClientLocalCheck implements Check
{
    public static final String ID = "client-local";
    public static final String ACCEPT_LOCAL_ID = "accept-local";
    private static final String ACCEPT_LOCAL = "accept_local";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (!context.clientGiven() || !context.isOwnAddress(context.client()))
        {
            return;
        }
        final String client = Ipv4.toString(context.client());
        findings.add(Finding.warn(ID, client + " is this host's own address: a request from here to the VIP is " +
            "answered by this host itself (the VIP is local) and never goes through the director; test from " +
            "another machine", ""));
        if (context.options().mode() != Mode.TUN || !context.links().isKnown())
        {
            return;
        }
        final Known<Integer> all = context.sysctlInt(Sysctls.confPath(Sysctls.ALL, ACCEPT_LOCAL));
        for (final IpLink link : context.links().value())
        {
            if (!link.isTunnel())
            {
                continue;
            }
            final String path = Sysctls.confPath(link.name(), ACCEPT_LOCAL);
            final Known<Integer> own = context.sysctlInt(path);
            if (!all.isKnown() || !own.isKnown())
            {
                findings.add(Finding.warn(ACCEPT_LOCAL_ID, all.isKnown() ? own.problem() : all.problem(), ""));
                continue;
            }
            if (all.value() != 0 || own.value() != 0)
            {
                findings.add(Finding.ok(ACCEPT_LOCAL_ID, "accept_local is on for " + link.name() + " (all=" +
                    all.value() + ", " + link.name() + "=" + own.value() + "; either one enables it): packets " +
                    "tunnelled back from " + client + " are accepted"));
            }
            else
            {
                findings.add(Finding.fail(ACCEPT_LOCAL_ID, "accept_local is 0 for " + link.name() + " (all=0, " +
                    link.name() + "=0): a decapsulated packet from " + client + ", this host's own address, is " +
                    "dropped as a martian", Sysctls.writeCommand(path, "1")));
            }
        }
    }
}
