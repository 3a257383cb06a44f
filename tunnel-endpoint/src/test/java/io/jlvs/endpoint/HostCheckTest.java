package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCheckTest
{
    private static final String TUN = "jlvs-tun0";
    private static final int VIP = FrameBuilder.address("198.18.0.200");

    private final FixtureHostFacts facts = new FixtureHostFacts().address("lo", "198.18.0.200", 32);

    private HostReport check()
    {
        return check(new int[] {VIP});
    }

    private HostReport check(final int[] vips)
    {
        final HostReport report = HostCheck.check(facts, "eth0", TUN, vips);
        report.lines().forEach(System.out::println);
        return report;
    }

    private static List<String> problemLines(final HostReport report)
    {
        return report.problems().stream().map(HostFinding::line).collect(Collectors.toList());
    }

    @Test
    void reportsNoProblemOnARealServerSetUpAsDocumented()
    {
        final HostReport report = check();

        assertFalse(report.hasProblems(), () -> String.join("\n", report.lines()));
        assertTrue(report.lines().contains("ok: VIP 198.18.0.200/32 is on lo"), () -> String.join("\n", report.lines()));
        assertTrue(report.lines().contains("ok: rp_filter is off for jlvs-tun0 (all=0, jlvs-tun0=0)"));
        assertTrue(report.lines().contains("ok: arp_ignore is 1 on eth0 (all=1, eth0=0)"));
        assertTrue(report.lines().contains("ok: arp_announce is 2 on eth0 (all=2, eth0=0)"));
    }

    @Test
    void strictRpFilterOnAllIsAProblemFixedByTurningAllOff()
    {
        facts.conf("all", "rp_filter", 1);

        assertEquals(List.of("PROBLEM: rp_filter is strict for jlvs-tun0 (all=1, jlvs-tun0=0): the kernel drops " +
            "every inner packet, because its source, the client, is not routed back through jlvs-tun0 (with all=0 " +
            "every other interface keeps its own rp_filter); fix: sysctl -w net.ipv4.conf.all.rp_filter=0"),
            problemLines(check()));
    }

    @Test
    void strictRpFilterOnTheTunDeviceIsAProblemFixedByTurningItOff()
    {
        facts.conf(TUN, "rp_filter", 1);

        final List<String> problems = problemLines(check());

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith("fix: sysctl -w net.ipv4.conf.jlvs-tun0.rp_filter=0"), problems::toString);
    }

    @Test
    void strictRpFilterOnBothNamesBothSettingsInOneFix()
    {
        facts.conf("all", "rp_filter", 1).conf(TUN, "rp_filter", 1);

        final List<String> problems = problemLines(check());

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith(
            "fix: sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.jlvs-tun0.rp_filter=0"), problems::toString);
    }

    @Test
    void looseRpFilterIsAProblemWhileTheTunDeviceHasNoAddress()
    {
        facts.conf("all", "rp_filter", 2);

        assertEquals(List.of("PROBLEM: rp_filter is loose for jlvs-tun0 (all=2, jlvs-tun0=0), but jlvs-tun0 has no " +
            "IPv4 address, and the kernel's source check rejects every packet arriving on a device without one " +
            "unless rp_filter is 0 (with all=0 every other interface keeps its own rp_filter); fix: " +
            "sysctl -w net.ipv4.conf.all.rp_filter=0"), problemLines(check()));
    }

    @Test
    void looseRpFilterOnTheDeviceAloneIsAlsoAProblemBecauseTheKernelTakesTheMaximum()
    {
        facts.conf(TUN, "rp_filter", 2);

        final List<String> problems = problemLines(check());

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith("fix: sysctl -w net.ipv4.conf.jlvs-tun0.rp_filter=0"), problems::toString);
    }

    @Test
    void looseRpFilterIsEnoughOnceTheTunDeviceHasAnAddress()
    {
        final FixtureHostFacts onTun = new FixtureHostFacts().address(TUN, "198.18.0.200", 32)
            .conf("all", "rp_filter", 2).conf(TUN, "rp_filter", 1);

        final HostReport report = HostCheck.check(onTun, "eth0", TUN, new int[] {VIP});

        assertFalse(report.hasProblems(), () -> String.join("\n", report.lines()));
        assertTrue(report.lines().contains("ok: rp_filter is loose for jlvs-tun0 (all=2, jlvs-tun0=1), which has an " +
            "address: inner packets pass when the host has a route to the client (a default route will do)"));
    }

    @Test
    void beforeTheTunDeviceExistsOnlyAllDecidesRpFilter()
    {
        facts.noDevice(TUN).conf("default", "rp_filter", 1);
        final HostReport report = check();
        assertFalse(report.hasProblems(), "the endpoint sets its own device's rp_filter to 0 when it creates it");
        assertTrue(report.lines().contains(
            "ok: rp_filter is off for jlvs-tun0 (all=0; jlvs-tun0 does not exist yet, the endpoint sets its own to 0)"),
            () -> String.join("\n", report.lines()));

        facts.conf("all", "rp_filter", 1);
        assertEquals(1, check().problems().size());
    }

    @Test
    void unreadableSysctlsAreNotesNotProblems()
    {
        final FixtureHostFacts empty = new FixtureHostFacts();
        for (final String device : new String[] {"all", "default", "lo", "eth0", TUN})
        {
            empty.noDevice(device);
        }
        empty.address("lo", "198.18.0.200", 32);

        final HostReport report = HostCheck.check(empty, null, TUN, new int[] {VIP});
        report.lines().forEach(System.out::println);

        assertFalse(report.hasProblems());
        assertTrue(report.lines().contains("note: cannot read net.ipv4.conf.all.rp_filter (is /proc/sys mounted?): " +
            "rp_filter not checked; fix: sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.jlvs-tun0.rp_filter"));
    }

    @Test
    void acceptLocalOffIsOnlyANoteWithTheCommandForAClientOnThisHost()
    {
        final HostReport report = check();

        assertTrue(report.lines().stream().anyMatch(line -> line.startsWith("note: accept_local is off for jlvs-tun0") &&
            line.endsWith("fix: sysctl -w net.ipv4.conf.jlvs-tun0.accept_local=1")), () -> String.join("\n", report.lines()));
        assertFalse(report.hasProblems());
    }

    @Test
    void acceptLocalOnAllOrTheDeviceIsEnough()
    {
        facts.conf("all", "accept_local", 1);
        assertTrue(check().lines().contains("ok: accept_local is on for jlvs-tun0: clients on this host are accepted too"));

        facts.conf("all", "accept_local", 0).conf(TUN, "accept_local", 1);
        assertTrue(check().lines().contains("ok: accept_local is on for jlvs-tun0: clients on this host are accepted too"));
    }

    @Test
    void aVipThatIsNoAddressOfTheHostIsAProblemFixedByAddingItToLo()
    {
        final FixtureHostFacts withoutVip = new FixtureHostFacts();

        final HostReport report = HostCheck.check(withoutVip, "eth0", TUN, new int[] {VIP});

        assertEquals(List.of("PROBLEM: VIP 198.18.0.200 is not an address of this host: the kernel does not take " +
            "the inner packets addressed to it; fix: ip addr add 198.18.0.200/32 dev lo"), problemLines(report));
        assertTrue(report.lines().stream().noneMatch(line -> line.contains("arp_")),
            "with no VIP on the host, ARP settings do not matter yet");
    }

    @Test
    void aVipOnLoWithAShorterPrefixIsAProblemFixedByMakingItASlash32()
    {
        final FixtureHostFacts wide = new FixtureHostFacts().address("lo", "198.18.0.200", 24);

        assertEquals(List.of("PROBLEM: VIP 198.18.0.200/24 is on lo: lo then claims the whole prefix, so this host " +
            "can no longer reach the other addresses in it; fix: ip addr del 198.18.0.200/24 dev lo && " +
            "ip addr add 198.18.0.200/32 dev lo"), problemLines(HostCheck.check(wide, "eth0", TUN, new int[] {VIP})));
    }

    @Test
    void aVipOnTheTunDeviceIsAcceptedWithAReminderThatTheDeviceIsRecreated()
    {
        final FixtureHostFacts onTun = new FixtureHostFacts().address(TUN, "198.18.0.200", 32);

        final HostReport report = HostCheck.check(onTun, "eth0", TUN, new int[] {VIP});

        assertFalse(report.hasProblems(), () -> String.join("\n", report.lines()));
        assertTrue(report.lines().contains("ok: VIP 198.18.0.200/32 is on jlvs-tun0 (add it again after every start: " +
            "the device is created anew)"));
    }

    @Test
    void aVipOnTheTunDeviceWithAShorterPrefixIsAProblem()
    {
        final FixtureHostFacts onTun = new FixtureHostFacts().address(TUN, "198.18.0.200", 24);

        final List<String> problems = problemLines(HostCheck.check(onTun, "eth0", TUN, new int[] {VIP}));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("PROBLEM: VIP 198.18.0.200/24 is on jlvs-tun0: replies to clients"));
    }

    @Test
    void aVipOnTheInterfaceIsAProblemBecauseTheHostAnswersArpForIt()
    {
        final FixtureHostFacts onEth = new FixtureHostFacts().address("eth0", "198.18.0.200", 24);

        assertEquals(List.of("PROBLEM: VIP 198.18.0.200/24 is on eth0: the host answers ARP for it there, competing " +
            "with the director for the VIP; fix: ip addr del 198.18.0.200/24 dev eth0 && " +
            "ip addr add 198.18.0.200/32 dev lo"), problemLines(HostCheck.check(onEth, "eth0", TUN, new int[] {VIP})));
    }

    @Test
    void checksEveryVip()
    {
        final int second = FrameBuilder.address("198.18.0.201");

        final List<String> problems = problemLines(check(new int[] {VIP, second}));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("VIP 198.18.0.201 is not an address of this host"));
    }

    @Test
    void arpIgnoreZeroOnTheInterfaceAndAllIsAProblemFixedOnTheInterface()
    {
        facts.conf("all", "arp_ignore", 0);

        assertEquals(List.of("PROBLEM: arp_ignore is 0 on eth0 (all=0, eth0=0), it must be at least 1 with a VIP on " +
            "this host: the host answers ARP requests for the VIP, competing with the director for it; fix: " +
            "sysctl -w net.ipv4.conf.eth0.arp_ignore=1"), problemLines(check()));
    }

    @Test
    void arpIgnoreOnTheInterfaceAloneIsEnoughBecauseTheKernelTakesTheMaximum()
    {
        facts.conf("all", "arp_ignore", 0).conf("eth0", "arp_ignore", 1);

        assertFalse(check().hasProblems());
    }

    @Test
    void arpAnnounceBelowTwoIsAProblem()
    {
        facts.conf("all", "arp_announce", 1);

        final List<String> problems = problemLines(check());

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("PROBLEM: arp_announce is 1 on eth0 (all=1, eth0=0), it must be at " +
            "least 2"), problems::toString);
        assertTrue(problems.get(0).endsWith("fix: sysctl -w net.ipv4.conf.eth0.arp_announce=2"));
    }

    @Test
    void withoutAnInterfaceTheArpSettingsOfAllAreCheckedAndFixed()
    {
        facts.conf("all", "arp_ignore", 0);

        final List<String> problems = problemLines(HostCheck.check(facts, null, TUN, new int[] {VIP}));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("on all interfaces (all=0)"));
        assertTrue(problems.get(0).endsWith("fix: sysctl -w net.ipv4.conf.all.arp_ignore=1"));
    }

    @Test
    void aVlanInterfaceIsSpelledWithASlashInTheSysctlCommand()
    {
        facts.conf("eth0.100", "rp_filter", 0).conf("eth0.100", "arp_ignore", 0).conf("eth0.100", "arp_announce", 2)
            .conf("all", "arp_ignore", 0);

        final List<String> problems = problemLines(HostCheck.check(facts, "eth0.100", TUN, new int[] {VIP}));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith("fix: sysctl -w net.ipv4.conf.eth0/100.arp_ignore=1"), problems::toString);
    }

    @Test
    void aMissingInterfaceIsAProblem()
    {
        final List<String> problems = problemLines(HostCheck.check(facts, "eth9", TUN, new int[] {VIP}));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("PROBLEM: interface eth9 does not exist"), problems::toString);
    }

    @Test
    void withoutVipsTheCheckSaysSoAndSkipsArp()
    {
        facts.conf("all", "arp_ignore", 0);

        final HostReport report = check(new int[0]);

        assertFalse(report.hasProblems());
        assertTrue(report.lines().stream().anyMatch(line -> line.startsWith("note: no VIP given")));
        assertTrue(report.lines().stream().noneMatch(line -> line.contains("arp_ignore")));
    }

    @Test
    void aFailedAddressListingIsANoteNamingTheCause()
    {
        facts.failAddressListing("rtnetlink address dump refused: EPERM");

        final HostReport report = check();

        assertFalse(report.hasProblems());
        assertTrue(report.lines().contains("note: cannot list this host's addresses (rtnetlink address dump refused: " +
            "EPERM): the VIPs are not checked; fix: ip -4 addr"), () -> String.join("\n", report.lines()));
    }

    @Test
    void checkWithOptionsUsesTheirInterfaceAndVips()
    {
        facts.conf("all", "arp_ignore", 0);
        final EndpointOptions options = EndpointOptions.builder().interfaceName("eth0").vip(VIP).build();

        final List<String> problems = problemLines(HostCheck.check(facts, options, TUN));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith("net.ipv4.conf.eth0.arp_ignore=1"));
    }
}
