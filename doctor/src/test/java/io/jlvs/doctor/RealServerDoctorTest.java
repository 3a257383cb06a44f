package io.jlvs.doctor;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import static io.jlvs.doctor.Expect.fail;
import static io.jlvs.doctor.Expect.warn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bin/jlvs doctor --role real-server --vip VIP --mode dr} against fixture hosts, good and broken one way each. */
class RealServerDoctorTest
{
    private static final int VIP = Ipv4.parse("198.18.0.100");
    private static final int CLIENT = Ipv4.parse("198.18.0.10");

    private static DoctorOptions.Builder dr()
    {
        return DoctorOptions.builder().mode(Mode.DR).vip(VIP).client(CLIENT);
    }

    private static Diagnosis diagnose(final FixtureHostView host)
    {
        return Doctor.diagnose(Role.REAL_SERVER, dr().build(), host);
    }

    @Test
    void wellConfiguredDrRealServerGetsOnlyOkFindings()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good"));

        Expect.allOk(diagnosis, "interface", "vip-on-lo", "arp-ignore", "arp-announce", "rp-filter", "reply-route",
            "firewall", "masquerade");
        Expect.says(diagnosis, "interface", "eth0 faces the director and the clients (replies to 198.18.0.10 " +
            "leave by it)");
        Expect.says(diagnosis, "vip-on-lo", "198.18.0.100 is on lo as /32");
        Expect.says(diagnosis, "reply-route", "leave by eth0, straight to the client");
    }

    @Test
    void arpIgnoreZeroEverywhereFailsWithTheSysctlsThatFixIt()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.all.arp_ignore", "0")
            .withSysctl("net.ipv4.conf.eth0.arp_ignore", "0"));

        Expect.problems(diagnosis,
            fail("arp-ignore", "sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_ignore=1"));
        Expect.says(diagnosis, "arp-ignore", "arp_ignore is 0 on eth0 (all=0, eth0=0; the kernel uses the larger)");
        assertEquals(Diagnosis.EXIT_FAIL, diagnosis.exitCode());
    }

    @Test
    void arpIgnoreOnTheInterfaceAloneIsEnoughBecauseTheKernelUsesTheLarger()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.all.arp_ignore", "0"));

        Expect.problems(diagnosis);
        Expect.says(diagnosis, "arp-ignore", "arp_ignore is 1 on eth0 (all=0, eth0=1");
    }

    @Test
    void arpIgnoreEightOnTheInterfaceHidesTheRealServerFromTheDirector()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.eth0.arp_ignore", "8"));

        Expect.problems(diagnosis, fail("arp-ignore", "sysctl -w net.ipv4.conf.eth0.arp_ignore=1"));
        Expect.says(diagnosis, "arp-ignore", "answers no ARP at all on eth0");
    }

    @Test
    void arpIgnoreThreeStillAnswersForTheGlobalScopeVip()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.all.arp_ignore", "3"));

        Expect.problems(diagnosis, fail("arp-ignore", "sysctl -w net.ipv4.conf.all.arp_ignore=1"));
        Expect.says(diagnosis, "arp-ignore", "the VIP on lo is global");
    }

    @Test
    void arpAnnounceBelowTwoEverywhereFails()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.all.arp_announce", "1")
            .withSysctl("net.ipv4.conf.eth0.arp_announce", "0"));

        Expect.problems(diagnosis,
            fail("arp-announce", "sysctl -w net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.eth0.arp_announce=2"));
        Expect.says(diagnosis, "arp-announce", "arp_announce is 1 on eth0 (all=1, eth0=0; the kernel uses the " +
            "larger)");
    }

    @Test
    void arpAnnounceTwoOnAllCoversAnInterfaceLeftAtZero()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.eth0.arp_announce", "0"));

        Expect.problems(diagnosis);
    }

    @Test
    void vipOnTheClientFacingInterfaceFailsAndMovesItToLoopback()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-vip-on-eth0"));

        Expect.problems(diagnosis,
            fail("vip-on-lo", "ip addr del 198.18.0.100/24 dev eth0 && ip addr add 198.18.0.100/32 dev lo"));
        Expect.says(diagnosis, "vip-on-lo", "198.18.0.100 is configured on eth0 as /24");
    }

    @Test
    void vipOnLoopbackAsSlash24FailsBecauseTheWholePrefixBecomesLocal()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-vip-slash24"));

        final String fix = "ip addr del 198.18.0.100/24 dev lo && ip addr add 198.18.0.100/32 dev lo";
        Expect.problems(diagnosis, fail("vip-on-lo", fix), fail("reply-route", fix));
        Expect.says(diagnosis, "vip-on-lo", "the whole of 198.18.0.0/24 becomes this host's own");
        Expect.says(diagnosis, "reply-route", "stay on this host: 198.18.0.100/24 on lo makes 198.18.0.10 a local " +
            "address");
    }

    @Test
    void missingVipFailsWithTheAddressToAdd()
    {
        final FixtureHostView host = FixtureHostView.load("rs-dr-good");
        final String withoutVip = host.text(FixtureHostView.ADDRESSES).replaceAll("(?m)^.*198\\.18\\.0\\.100/32.*\n", "");
        host.withText(FixtureHostView.ADDRESSES, withoutVip)
            .withRoute("198.18.0.100", "198.18.0.100 dev eth0 src 198.18.0.101 uid 0 \\    cache ");

        final Diagnosis diagnosis = diagnose(host);

        Expect.problems(diagnosis, fail("vip-on-lo", "ip addr add 198.18.0.100/32 dev lo"));
        Expect.says(diagnosis, "vip-on-lo", "the kernel drops the packets the director sends it");
    }

    @Test
    void nftRuleRejectingRepliesFromTheVipFailsWithItsDeleteCommand()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-nft-broken"));

        Expect.problems(diagnosis,
            fail("firewall", "nft delete rule inet filter output handle 7"),
            warn("firewall", "nft insert rule inet filter output ct state established,related accept"),
            warn("masquerade", "nft insert rule ip nat postrouting ip saddr 198.18.0.100 accept"));
        final Finding drop = diagnosis.findings("firewall").get(0);
        assertEquals("nft inet filter output: ip saddr 198.18.0.100 tcp sport 80 reject with tcp reset drops " +
            "packets from 198.18.0.100: the replies to clients never leave", drop.message());
    }

    @Test
    void iptablesDropAndSnatOfTheVipFailWithTheirDeleteCommands()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-iptables-broken"));

        Expect.problems(diagnosis,
            fail("firewall", "iptables -t filter -D OUTPUT -s 198.18.0.100/32 -p tcp -m tcp --sport 80 -m comment " +
                "--comment \"old web VIP, do not answer\" -j DROP"),
            fail("masquerade", "iptables -t nat -D POSTROUTING -s 198.18.0.100/32 -o eth0 -j SNAT --to-source " +
                "198.18.0.101"));
    }

    @Test
    void unreadableRulesetWarnsInsteadOfPassing()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withFailure(FixtureHostView.NFT, "Error: Operation not permitted (you must be root)"));

        Expect.problems(diagnosis, warn("firewall", ""), warn("masquerade", ""));
        assertEquals(Diagnosis.EXIT_OK, diagnosis.exitCode());
    }

    @Test
    void hostWithoutFirewallToolsHasNothingToCheck()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good").without(FixtureHostView.NFT));

        Expect.problems(diagnosis);
        Expect.says(diagnosis, "firewall", "neither nft nor iptables-save is installed");
    }

    @Test
    void noRouteToAGivenClientFails()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withRoute("198.18.0.10 from 198.18.0.100", "! RTNETLINK answers: Network is unreachable"));

        Expect.problems(diagnosis, fail("reply-route", ""));
        Expect.says(diagnosis, "reply-route", "Network is unreachable");
    }

    @Test
    void withoutAClientTheRouteToAnAddressElsewhereIsChecked()
    {
        final DoctorOptions options = DoctorOptions.builder().vip(VIP).build();

        final Diagnosis good = Doctor.diagnose(Role.REAL_SERVER, options, FixtureHostView.load("rs-dr-good"));
        final Diagnosis noDefault = Doctor.diagnose(Role.REAL_SERVER, options, FixtureHostView.load("rs-dr-good")
            .withRoute("203.0.113.1 from 198.18.0.100", "! RTNETLINK answers: Network is unreachable"));

        Expect.problems(good);
        Expect.says(good, "reply-route", "leave by eth0 via 198.18.0.1");
        Expect.problems(noDefault, warn("reply-route", ""));
    }

    @Test
    void repliesLeavingByAnotherInterfaceWarnAndStrictRpFilterThereFails()
    {
        final FixtureHostView host = FixtureHostView.load("rs-dr-good");
        host.withText(FixtureHostView.LINKS, host.text(FixtureHostView.LINKS) +
            "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group " +
            "default qlen 1000\\    link/ether e6:e7:6f:9f:24:ff brd ff:ff:ff:ff:ff:ff\n")
            .withRoute("198.18.0.10 from 198.18.0.100", "198.18.0.10 from 198.18.0.100 via 198.19.0.1 dev eth1 " +
                "uid 0 \\    cache ");
        final DoctorOptions options = dr().interfaceName("eth0").build();

        final Diagnosis loose = Doctor.diagnose(Role.REAL_SERVER, options, host);
        final Diagnosis strict = Doctor.diagnose(Role.REAL_SERVER, options,
            host.withSysctl("net.ipv4.conf.eth0.rp_filter", "1"));

        Expect.problems(loose, warn("reply-route", ""));
        Expect.says(loose, "rp-filter", "rp_filter is 2 on eth0");
        Expect.problems(strict, fail("rp-filter", "sysctl -w net.ipv4.conf.eth0.rp_filter=2"),
            warn("reply-route", ""));
    }

    @Test
    void clientThatIsThisHostItselfIsExplained()
    {
        final Diagnosis diagnosis = Doctor.diagnose(Role.REAL_SERVER,
            DoctorOptions.builder().vip(VIP).client(Ipv4.parse("198.18.0.101")).build(),
            FixtureHostView.load("rs-dr-good"));

        Expect.problems(diagnosis, warn("client-local", ""));
        Expect.says(diagnosis, "client-local", "never goes through the director");
    }

    @Test
    void clientFacingInterfaceThatIsDownFailsWithTheCommandThatBringsItUp()
    {
        final FixtureHostView host = FixtureHostView.load("rs-dr-good");
        host.withText(FixtureHostView.LINKS, host.text(FixtureHostView.LINKS)
            .replace("<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP",
                "<BROADCAST,MULTICAST> mtu 1500 qdisc fq_codel state DOWN"));

        Expect.problems(diagnose(host), fail("interface", "ip link set dev eth0 up"));
    }

    @Test
    void interfaceNamedButMissingFailsOnceAndTheArpChecksFallBackToAll()
    {
        final Diagnosis diagnosis = Doctor.diagnose(Role.REAL_SERVER, dr().interfaceName("eth9").build(),
            FixtureHostView.load("rs-dr-good"));

        Expect.problems(diagnosis, fail("interface", ""));
        Expect.says(diagnosis, "interface", "there is no interface eth9 here (interfaces: lo, eth0)");
        Expect.says(diagnosis, "arp-ignore", "arp_ignore is 1 on every interface (all=1;");
    }

    @Test
    void realServerNeedsAVip()
    {
        assertThrows(IllegalArgumentException.class, () ->
            Doctor.diagnose(Role.REAL_SERVER, DoctorOptions.builder().build(), FixtureHostView.load("rs-dr-good")));
    }
}
