package io.jlvs.doctor.check;

import io.jlvs.doctor.firewall.FirewallChain;
import io.jlvs.doctor.firewall.IptablesSave;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.Prefix;
import io.jlvs.scheduler.Ipv4;

/** The commands findings offer as fixes, spelled the same way everywhere. */
final class Fixes
{
    /** Joins commands that must run one after the other. */
    static final String AND = " && ";
    static final String LOOPBACK = "lo";

    private Fixes()
    {
    }

    /** {@code ip addr add VIP/32 dev lo}. */
    static String addVipToLoopback(final int vip)
    {
        return "ip addr add " + Ipv4.toString(vip) + "/" + Prefix.HOST_LENGTH + " dev " + LOOPBACK;
    }

    /** {@code ip addr del A/P dev IF}. */
    static String deleteAddress(final IpAddress address)
    {
        return "ip addr del " + Ipv4.toString(address.address()) + "/" + address.prefixLength() + " dev " +
            address.interfaceName();
    }

    /** {@code ip link set dev IF up}. */
    static String linkUp(final String interfaceName)
    {
        return "ip link set dev " + interfaceName + " up";
    }

    /**
     * A rule put first in {@code chain}: {@code nft insert rule FAMILY TABLE CHAIN MATCH} or
     * {@code iptables -t TABLE -I CHAIN MATCH}, whichever tool the chain came from.
     */
    static String insertFirst(final FirewallChain chain, final String nftRule, final String iptablesRule)
    {
        if (IptablesSave.ORIGIN.equals(chain.origin()))
        {
            return "iptables -t " + chain.table() + " -I " + chain.name() + " " + iptablesRule;
        }
        return "nft insert rule " + chain.table() + " " + chain.name() + " " + nftRule;
    }
}
