package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.host.IpLink;

import java.util.List;
import java.util.Optional;

/** Real server: which interface faces the director and the clients (the ARP and reply checks judge it), and is it up. */
public final class ClientInterfaceCheck implements Check
{
    public static final String ID = "interface";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        if (context.options().interfaceName().isPresent())
        {
            final String given = context.options().interfaceName().get();
            findings.add(InterfaceState.judge(context, ID, given, given + " faces the director and the clients " +
                "(as given)"));
            return;
        }
        final Known<String> facing = context.clientInterface();
        if (!facing.isKnown())
        {
            findings.add(Finding.warn(ID, facing.problem(), ""));
            return;
        }
        findings.add(InterfaceState.judge(context, ID, facing.value(), facing.value() + " faces the director and " +
            "the clients (" + context.clientInterfaceReason() + ")"));
    }

    /** The state of one interface as a finding; shared with the director's check. */
    static final class InterfaceState
    {
        private InterfaceState()
        {
        }

        static Finding judge(final CheckContext context, final String id, final String name, final String okText)
        {
            if (!context.links().isKnown())
            {
                return Finding.warn(id, context.links().problem(), "");
            }
            final Optional<IpLink> link = context.link(name);
            if (link.isEmpty())
            {
                return Finding.fail(id, "there is no interface " + name + " here (interfaces: " +
                    context.linkNames() + ")", "");
            }
            if (!link.get().isUp())
            {
                return Finding.fail(id, name + " is down", Fixes.linkUp(name));
            }
            if (!link.get().hasCarrier())
            {
                return Finding.fail(id, name + " is up but has no carrier (no cable, or its peer is down)", "");
            }
            return Finding.ok(id, okText + "; it is up with carrier, MTU " + link.get().mtu());
        }
    }
}
