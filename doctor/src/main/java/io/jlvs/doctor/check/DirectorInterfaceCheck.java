package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.Severity;
import io.jlvs.doctor.host.IpLink;

import java.util.List;
import java.util.Optional;

/**
 * Director: the interface jlvs serves exists, is up with carrier, is Ethernet (jlvs rewrites Ethernet headers), has
 * no XDP program in front of the packet socket, and has an MTU that carries the clients' packets.
 */
public final class DirectorInterfaceCheck implements Check
{
    public static final String ID = "interface";
    public static final String MTU_ID = "mtu";
    /** Every IPv4 host must accept datagrams this large (RFC 791); below it clients cannot talk at all. */
    private static final int MIN_DATAGRAM_BYTES = 576;
    /** Ethernet's MTU: what clients and real servers on a plain segment send. */
    private static final int ETHERNET_MTU = 1500;
    /** IPIP adds an outer IPv4 header without options. */
    private static final int IPIP_OVERHEAD_BYTES = 20;

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String name = context.options().interfaceName().orElseThrow();
        final Finding state = ClientInterfaceCheck.InterfaceState.judge(context, ID, name,
            name + " is the interface jlvs serves");
        final Optional<IpLink> link = context.link(name);
        if (state.severity() != Severity.OK || link.isEmpty())
        {
            findings.add(state);
            return;
        }
        if (!link.get().isEthernet())
        {
            findings.add(Finding.fail(ID, name + " is not Ethernet (link/" + link.get().linkType() + "): jlvs " +
                "forwards by rewriting Ethernet headers", ""));
            return;
        }
        findings.add(state);
        if (link.get().xdp())
        {
            findings.add(Finding.warn(ID, "an XDP program is attached to " + name + ": it sees frames before jlvs's " +
                "packet socket does and may drop or redirect the VIP's", "ip link set dev " + name + " xdp off"));
        }
        findings.add(mtu(context.options(), name, link.get().mtu()));
    }

    private static Finding mtu(final DoctorOptions options, final String name, final int mtu)
    {
        boolean tunnels = false;
        for (final DoctorOptions.RealServerTarget server : options.realServers())
        {
            tunnels |= server.method() == Mode.TUN;
        }
        final String tunnelNote = tunnels ? "; IPIP adds " + IPIP_OVERHEAD_BYTES + " bytes, so TUN real servers " +
            "get packets of up to " + (mtu - IPIP_OVERHEAD_BYTES) + " bytes unfragmented and jlvs answers larger " +
            "ones with fragmentation-needed" : "";
        if (mtu < MIN_DATAGRAM_BYTES)
        {
            return Finding.fail(MTU_ID, "MTU of " + name + " is " + mtu + ", below the " + MIN_DATAGRAM_BYTES +
                " bytes every IPv4 host must accept: clients' packets do not fit", "ip link set dev " + name +
                " mtu " + ETHERNET_MTU);
        }
        if (mtu < ETHERNET_MTU)
        {
            return Finding.warn(MTU_ID, "MTU of " + name + " is " + mtu + ", below Ethernet's " + ETHERNET_MTU +
                ": fine if the whole segment uses it, but full-size frames from hosts that do not are dropped" +
                tunnelNote, "ip link set dev " + name + " mtu " + ETHERNET_MTU);
        }
        return Finding.ok(MTU_ID, "MTU of " + name + " is " + mtu + tunnelNote);
    }
}
