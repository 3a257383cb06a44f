package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.host.Sysctls;

import java.util.List;

/**
 * Director: with {@code ip_forward=1} the kernel routes too. Every frame for the VIP reaches the kernel as well as
 * jlvs's packet socket, addressed to this host's MAC but not to its IP, so a routing kernel sends its own copy on
 * (by the route to the VIP, often back out of the same interface, with an ICMP redirect).
 */
public final class IpForwardCheck implements Check
{
    public static final String ID = "ip-forward";
    private static final String PATH = "net/ipv4/ip_forward";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final Known<Integer> forward = context.sysctlInt(PATH);
        if (!forward.isKnown())
        {
            findings.add(Finding.warn(ID, forward.problem(), ""));
        }
        else if (forward.value() == 0)
        {
            findings.add(Finding.ok(ID, "ip_forward is 0: the kernel does not route the VIP's frames a second time"));
        }
        else
        {
            findings.add(Finding.warn(ID, "ip_forward is " + forward.value() + ": the kernel also routes every VIP " +
                "frame jlvs forwards (a second copy, or ICMP redirects) unless a rule stops it; turn it off unless " +
                "this host must route other traffic", Sysctls.writeCommand(PATH, "0")));
        }
    }
}
