package io.jlvs.doctor.check;

import io.jlvs.doctor.Mode;
import io.jlvs.doctor.Role;

import java.util.ArrayList;
import java.util.List;

/** Which checks run, in which order, for a director and for a real server in DR or TUN mode. */
public final class Checks
{
    private Checks()
    {
    }

    public static List<Check> forRole(final Role role, final Mode mode)
    {
        final List<Check> checks = new ArrayList<>();
        if (role == Role.DIRECTOR)
        {
            checks.add(new DirectorInterfaceCheck());
            checks.add(new PacketSocketCheck());
            checks.add(new IpForwardCheck());
            checks.add(new VipNotLocalCheck());
            checks.add(new DirectorFirewallCheck());
            checks.add(new MasqueradeCheck());
            checks.add(new SameSegmentCheck());
            return checks;
        }
        checks.add(new ClientInterfaceCheck());
        checks.add(new VipOnLoopbackCheck());
        checks.add(ArpSysctlCheck.arpIgnore());
        checks.add(ArpSysctlCheck.arpAnnounce());
        checks.add(new RpFilterCheck());
        checks.add(new ClientLocalCheck());
        checks.add(new ReplyRouteCheck());
        checks.add(new ReplyFirewallCheck());
        checks.add(new MasqueradeCheck());
        if (mode == Mode.TUN)
        {
            checks.add(new IpipDecapCheck());
        }
        return checks;
    }
}
