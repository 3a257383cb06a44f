package io.jlvs.doctor;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import static io.jlvs.doctor.Expect.fail;
import static io.jlvs.doctor.Expect.warn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bin/jlvs doctor} on the director: what jlvs itself needs, against fixture hosts. */
class DirectorDoctorTest
{
    private static final int VIP = Ipv4.parse("198.18.0.100");
    private static final String LINK_UP = "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP";

    /** eth0, the VIP, two DR real servers on the segment and a TUN one behind a router. */
    private static DoctorOptions.Builder options()
    {
        return DoctorOptions.builder().interfaceName("eth0").vip(VIP)
            .realServer(Ipv4.parse("198.18.0.101"), Mode.DR)
            .realServer(Ipv4.parse("198.18.0.102"), Mode.DR)
            .realServer(Ipv4.parse("198.20.0.5"), Mode.TUN);
    }

    private static Diagnosis diagnose(final FixtureHostView host)
    {
        return Doctor.diagnose(Role.DIRECTOR, options().build(), host);
    }

    private static FixtureHostView withLink(final String replacement)
    {
        final FixtureHostView host = FixtureHostView.load("director-good");
        return host.withText(FixtureHostView.LINKS, host.text(FixtureHostView.LINKS).replace(LINK_UP, replacement));
    }

    @Test
    void wellConfiguredDirectorGetsOnlyOkFindings()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-good"));

        Expect.allOk(diagnosis, "interface", "mtu", "packet-socket", "ip-forward", "vip-not-local", "firewall",
            "same-segment");
        assertEquals(3, diagnosis.findings("same-segment").size());
        Expect.says(diagnosis, "firewall", "an ingress rule drops them after jlvs's packet socket has seen them");
        // no real server is this host, so there is no Local delivery whose replies a masquerade could rewrite
        assertEquals(0, diagnosis.findings("masquerade").size());
    }

    @Test
    void ipForwardOnWarnsWithTheSysctlThatTurnsItOff()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-good")
            .withSysctl("net.ipv4.ip_forward", "1"));

        Expect.problems(diagnosis, warn("ip-forward", "sysctl -w net.ipv4.ip_forward=0"));
        assertEquals(Diagnosis.EXIT_OK, diagnosis.exitCode());
    }

    @Test
    void vipConfiguredOnTheDirectorInterfaceFails()
    {
        final FixtureHostView host = FixtureHostView.load("director-good");
        host.withText(FixtureHostView.ADDRESSES, host.text(FixtureHostView.ADDRESSES) +
            "2: eth0    inet 198.18.0.100/24 scope global secondary eth0\\       valid_lft forever preferred_lft " +
            "forever\n");

        Expect.problems(diagnose(host), fail("vip-not-local", "ip addr del 198.18.0.100/24 dev eth0"));
    }

    @Test
    void vipOnLoopbackWithoutALocalRealServerFails()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-local"));

        Expect.problems(diagnosis, fail("vip-not-local", "ip addr del 198.18.0.100/32 dev lo"));
    }

    @Test
    void directorThatIsAlsoARealServerKeepsTheVipOnLoopbackAndIsWarnedOfItsMasquerade()
    {
        final Diagnosis diagnosis = Doctor.diagnose(Role.DIRECTOR,
            options().realServer(Ipv4.parse("198.18.0.2"), Mode.DR).build(), FixtureHostView.load("director-local"));

        // the iptables-nft table appears in both nft and iptables-save output; it is reported once
        Expect.problems(diagnosis,
            warn("masquerade", "iptables -t nat -I POSTROUTING -s 198.18.0.100/32 -j RETURN"));
        Expect.says(diagnosis, "vip-not-local", "also a real server (Local)");
    }

    @Test
    void localRouteMakingTheVipOwnFailsWithoutAnAddressToDelete()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-good")
            .withRoute("198.18.0.100", "local 198.18.0.100 dev lo table local src 198.18.0.2 uid 0 \\    cache <local>"));

        Expect.problems(diagnosis, fail("vip-not-local", ""));
        Expect.says(diagnosis, "vip-not-local", "a local route makes 198.18.0.100 this host's own");
    }

    @Test
    void dnatOfTheVipAndAnEgressDropOnTheInterfaceFailWithTheirDeleteCommands()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-nft-broken"));

        Expect.problems(diagnosis,
            fail("firewall", "nft delete rule ip nat prerouting handle 2"),
            fail("firewall", "nft delete rule netdev shaping egress handle 3"));
    }

    @Test
    void egressDropOnAnotherInterfaceIsNotBlamed()
    {
        final FixtureHostView host = FixtureHostView.load("director-nft-broken");
        host.withText(FixtureHostView.NFT, host.text(FixtureHostView.NFT)
            .replace("hook egress device \"eth0\"", "hook egress device \"eth1\""));

        Expect.problems(diagnose(host), fail("firewall", "nft delete rule ip nat prerouting handle 2"));
    }

    @Test
    void interfaceThatIsDownFailsWithTheCommandThatBringsItUp()
    {
        Expect.problems(diagnose(withLink("2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc fq_codel state DOWN")),
            fail("interface", "ip link set dev eth0 up"));
    }

    @Test
    void interfaceWithoutCarrierFails()
    {
        final Diagnosis diagnosis = diagnose(withLink(
            "2: eth0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN"));

        Expect.problems(diagnosis, fail("interface", ""));
        Expect.says(diagnosis, "interface", "no carrier");
    }

    @Test
    void missingInterfaceFailsNamingTheOnesThatExist()
    {
        final Diagnosis diagnosis = Doctor.diagnose(Role.DIRECTOR, options().interfaceName("eth7").build(),
            FixtureHostView.load("director-good"));

        Expect.problems(diagnosis, fail("interface", ""));
        Expect.says(diagnosis, "interface", "there is no interface eth7 here (interfaces: lo, eth0, eth1)");
    }

    @Test
    void xdpProgramOnTheInterfaceWarns()
    {
        final Diagnosis diagnosis = diagnose(withLink(
            "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 xdpgeneric/id:27 qdisc fq_codel state UP"));

        Expect.problems(diagnosis, warn("interface", "ip link set dev eth0 xdp off"));
    }

    @Test
    void smallMtuWarnsAndAnUnusableOneFails()
    {
        Expect.problems(diagnose(withLink(LINK_UP.replace("mtu 1500", "mtu 1400"))),
            warn("mtu", "ip link set dev eth0 mtu 1500"));
        Expect.problems(diagnose(withLink(LINK_UP.replace("mtu 1500", "mtu 500"))),
            fail("mtu", "ip link set dev eth0 mtu 1500"));
    }

    @Test
    void packetSocketThatCannotBeOpenedFailsWithTheReason()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("director-good").withFailure(
            FixtureHostView.PACKET_PROBE, "socket(AF_PACKET, SOCK_RAW) failed: EPERM (opening a packet socket needs " +
                "CAP_NET_RAW (run as root))"));

        Expect.problems(diagnosis, fail("packet-socket", ""));
        Expect.says(diagnosis, "packet-socket", "EPERM");
    }

    @Test
    void packetSocketNotProbedWarns()
    {
        final FixtureHostView host = FixtureHostView.load("director-good");
        host.without(FixtureHostView.PACKET_PROBE);

        Expect.problems(diagnose(host), warn("packet-socket", ""));
    }

    @Test
    void drRealServerOffTheSegmentWarnsAndTunRealServerWithoutRouteFails()
    {
        final Diagnosis diagnosis = Doctor.diagnose(Role.DIRECTOR, options()
            .realServer(Ipv4.parse("10.1.2.3"), Mode.DR)
            .realServer(Ipv4.parse("10.9.9.9"), Mode.TUN).build(), FixtureHostView.load("director-good"));

        Expect.problems(diagnosis, warn("same-segment", ""), fail("same-segment", ""));
        assertEquals("DR real server 10.1.2.3 is in none of eth0's prefixes (198.18.0.2/24): DR rewrites only the " +
            "MAC, so it works only if the server is on the same L2 segment anyway; otherwise use TUN for it",
            diagnosis.findings("same-segment").get(3).message());
    }

    @Test
    void directorNeedsItsInterface()
    {
        assertThrows(IllegalArgumentException.class, () -> Doctor.diagnose(Role.DIRECTOR,
            DoctorOptions.builder().vip(VIP).build(), FixtureHostView.load("director-good")));
    }
}
