package io.jlvs.doctor.host;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ip output parsers and the sysctl spellings, on text iproute2 prints. */
class HostTextTest
{
    @Test
    void readsIpv4AddressesAndSkipsIpv6AndJunk()
    {
        final List<IpAddress> addresses = IpAddress.parse(String.join("\n",
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
            "1: lo    inet 198.18.0.100/32 scope global lo\\       valid_lft forever preferred_lft forever",
            "1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever",
            "3: eth0    inet 198.18.0.100/24 scope global secondary eth0\\       valid_lft forever",
            "7: wg0    inet 10.0.0.1 peer 10.0.0.2/32 scope global wg0\\       valid_lft forever",
            "Device \"eth9\" does not exist.",
            ""));

        assertEquals(List.of(
            new IpAddress("lo", Ipv4.parse("127.0.0.1"), 8, "host"),
            new IpAddress("lo", Ipv4.parse("198.18.0.100"), 32, "global"),
            new IpAddress("eth0", Ipv4.parse("198.18.0.100"), 24, "global"),
            new IpAddress("wg0", Ipv4.parse("10.0.0.1"), 32, "global")), addresses);
        assertEquals("198.18.0.0/24", Ipv4.toString(addresses.get(2).prefix().network()) + "/24");
    }

    @Test
    void readsLinksWithPeersTypesStateAndXdp()
    {
        final List<IpLink> links = IpLink.parse(String.join("\n",
            "3: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group " +
                "default qlen 1000\\    link/ether 2a:8b:1f:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns jl01-br",
            "5: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    " +
                "link/ipip 0.0.0.0 brd 0.0.0.0",
            "6: eth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 9000 xdpgeneric/id:27 qdisc fq_codel state DOWN\\    " +
                "link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff",
            "8: jlvs-tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UNKNOWN\\    " +
                "link/none "));

        assertEquals(4, links.size());
        final IpLink eth0 = links.get(0);
        assertEquals("eth0", eth0.name());
        assertTrue(eth0.isUp() && eth0.hasCarrier() && eth0.isEthernet() && !eth0.xdp());
        assertEquals(1500, eth0.mtu());
        final IpLink tunl0 = links.get(1);
        assertEquals("tunl0", tunl0.name());
        assertTrue(tunl0.isTunnel());
        assertFalse(tunl0.isUp());
        final IpLink eth1 = links.get(2);
        assertTrue(eth1.isUp());
        assertFalse(eth1.hasCarrier());
        assertTrue(eth1.xdp());
        assertEquals(9000, eth1.mtu());
        assertTrue(links.get(3).isTunnel());
    }

    @Test
    void readsRouteLookups()
    {
        final RouteLookup direct = RouteLookup.parse("198.18.0.10 from 198.18.0.100 dev eth0 uid 0 \\    cache ")
            .orElseThrow();
        final RouteLookup viaGateway = RouteLookup.parse("203.0.113.1 from 198.18.0.100 via 198.18.0.1 dev eth0 " +
            "uid 0 \\    cache ").orElseThrow();
        final RouteLookup local = RouteLookup.parse("local 198.18.0.100 dev lo src 198.18.0.100 uid 0 \\    cache " +
            "<local> ").orElseThrow();

        assertEquals(new RouteLookup(RouteLookup.UNICAST, Ipv4.parse("198.18.0.10"), "eth0", OptionalInt.empty()),
            direct);
        assertEquals(OptionalInt.of(Ipv4.parse("198.18.0.1")), viaGateway.gateway());
        assertTrue(local.isLocal());
        assertEquals("lo", local.device());
        assertTrue(RouteLookup.parse("RTNETLINK answers: Network is unreachable").isEmpty());
    }

    @Test
    void sysctlKeysWriteDotsInInterfaceNamesAsSlashes()
    {
        assertEquals("net.ipv4.conf.eth0/100.arp_ignore", Sysctls.key("net/ipv4/conf/eth0.100/arp_ignore"));
        assertEquals("net/ipv4/conf/eth0.100/arp_ignore", Sysctls.path("net.ipv4.conf.eth0/100.arp_ignore"));
        assertEquals("sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0/100.arp_ignore=1",
            Sysctls.writeCommand(Sysctls.confPath("all", "arp_ignore"), "1",
                Sysctls.confPath("eth0.100", "arp_ignore"), "1"));
    }

    @Test
    void prefixesContainTheirAddresses()
    {
        final Prefix prefix = Prefix.parse("198.18.0.2/24");

        assertTrue(prefix.contains(Ipv4.parse("198.18.0.255")));
        assertFalse(prefix.contains(Ipv4.parse("198.18.1.0")));
        assertEquals(Ipv4.parse("198.18.0.255"), prefix.last());
        assertTrue(Prefix.parse("0.0.0.0/0").contains(Ipv4.parse("255.255.255.255")));
        assertEquals(32, Prefix.parse("10.0.0.1").length());
    }
}
