package io.jlvs.doctor;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import static io.jlvs.doctor.Expect.fail;
import static io.jlvs.doctor.Expect.warn;

/** {@code bin/jlvs doctor --role real-server --vip VIP --mode tun}: the "receives but never answers" cases. */
class TunRealServerDoctorTest
{
    private static final int VIP = Ipv4.parse("198.18.0.100");
    private static final int CLIENT = Ipv4.parse("198.18.0.10");

    private static Diagnosis diagnose(final FixtureHostView host)
    {
        return diagnose(host, CLIENT);
    }

    private static Diagnosis diagnose(final FixtureHostView host, final int client)
    {
        return Doctor.diagnose(Role.REAL_SERVER, DoctorOptions.builder().mode(Mode.TUN).vip(VIP).client(client).build(),
            host);
    }

    @Test
    void realServerWithTheKernelsIpipModuleGetsOnlyOkFindings()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-good"));

        Expect.allOk(diagnosis, "vip-on-lo", "arp-ignore", "arp-announce", "rp-filter", "reply-route", "firewall",
            "masquerade", "ipip-decap");
        Expect.says(diagnosis, "ipip-decap", "tunl0 is up: the kernel decapsulates IPIP");
        Expect.says(diagnosis, "rp-filter", "rp_filter is 0 on tunl0 (all=0, tunl0=0; the kernel uses the larger)");
    }

    @Test
    void realServerDecapsulatingWithTheTunnelEndpointGetsOnlyOkFindings()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-endpoint"));

        Expect.allOk(diagnosis, "rp-filter", "ipip-decap");
        Expect.says(diagnosis, "ipip-decap", "jlvs tunnel-endpoint is running (pid 911)");
        Expect.says(diagnosis, "rp-filter", "rp_filter is 0 on jlvs-tun0");
    }

    @Test
    void strictRpFilterOnTheTunnelDeviceDropsDecapsulatedPackets()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-good")
            .withSysctl("net.ipv4.conf.tunl0.rp_filter", "1"));

        Expect.problems(diagnosis, fail("rp-filter", "sysctl -w net.ipv4.conf.tunl0.rp_filter=0"));
        Expect.says(diagnosis, "rp-filter", "decapsulated packets arrive on tunl0 but the route back to their " +
            "source leaves by the physical interface, so the kernel drops them");
    }

    @Test
    void strictRpFilterOnAllOverridesTheTunnelDeviceBecauseTheKernelUsesTheLarger()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-good")
            .withSysctl("net.ipv4.conf.all.rp_filter", "1"));

        Expect.problems(diagnosis, fail("rp-filter", "sysctl -w net.ipv4.conf.all.rp_filter=0"));
        Expect.says(diagnosis, "rp-filter", "rp_filter is 1 (strict) on tunl0 (all=1, tunl0=0; the kernel uses the " +
            "larger)");
    }

    @Test
    void looseRpFilterDropsTooOnATunnelDeviceWithoutAnAddress()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-good")
            .withSysctl("net.ipv4.conf.tunl0.rp_filter", "2"));

        Expect.problems(diagnosis, fail("rp-filter", "sysctl -w net.ipv4.conf.tunl0.rp_filter=0"));
        Expect.says(diagnosis, "rp-filter", "tunl0 has no IPv4 address, where loose mode drops too");
    }

    @Test
    void looseRpFilterIsEnoughOnATunnelDeviceHoldingTheVip()
    {
        final FixtureHostView host = FixtureHostView.load("rs-tun-good")
            .withSysctl("net.ipv4.conf.all.rp_filter", "1")
            .withSysctl("net.ipv4.conf.tunl0.rp_filter", "2");
        host.withText(FixtureHostView.ADDRESSES, host.text(FixtureHostView.ADDRESSES)
            .replace("1: lo    inet 198.18.0.100/32 scope global lo",
                "3: tunl0    inet 198.18.0.100/32 scope global tunl0"));

        final Diagnosis diagnosis = diagnose(host);

        Expect.problems(diagnosis);
        Expect.says(diagnosis, "rp-filter", "rp_filter is 2 on tunl0 (all=1, tunl0=2; the kernel uses the larger): " +
            "loose");
    }

    @Test
    void strictRpFilterOnTheEndpointsTunDeviceFails()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-endpoint")
            .withSysctl("net.ipv4.conf.jlvs-tun0.rp_filter", "1"));

        Expect.problems(diagnosis, fail("rp-filter", "sysctl -w net.ipv4.conf.jlvs-tun0.rp_filter=0"));
    }

    @Test
    void hostThatCannotDecapsulateFailsWithTheModuleToLoad()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good"));

        Expect.problems(diagnosis, fail("ipip-decap", "modprobe ipip && ip link set dev tunl0 up"));
        Expect.says(diagnosis, "ipip-decap", "run bin/jlvs tunnel-endpoint --interface eth0 instead");
    }

    @Test
    void looseRpFilterForAllWarnsWhileNoTunnelDeviceExists()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good")
            .withSysctl("net.ipv4.conf.all.rp_filter", "2"));

        Expect.problems(diagnosis, warn("rp-filter", "sysctl -w net.ipv4.conf.all.rp_filter=0"),
            fail("ipip-decap", "modprobe ipip && ip link set dev tunl0 up"));
    }

    @Test
    void loadedModuleWithoutADeviceInThisNamespaceFailsWithTheDeviceToAdd()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-dr-good").withSysModule("ipip"));

        Expect.problems(diagnosis,
            fail("ipip-decap", "ip link add name tunl0 type ipip && ip link set dev tunl0 up"));
    }

    @Test
    void tunl0ThatIsDownFailsWithTheCommandThatBringsItUp()
    {
        final FixtureHostView host = FixtureHostView.load("rs-tun-good");
        host.withText(FixtureHostView.LINKS, host.text(FixtureHostView.LINKS)
            .replace("tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480 qdisc noqueue state UNKNOWN",
                "tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN"));

        Expect.problems(diagnose(host), fail("ipip-decap", "ip link set dev tunl0 up"));
    }

    @Test
    void repliesRoutedBackIntoTheTunnelFail()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-via-tunnel"));

        Expect.problems(diagnosis, fail("reply-route", ""));
        Expect.says(diagnosis, "reply-route", "leave by tunl0, a tunnel device");
        Expect.says(diagnosis, "interface", "eth0 faces the director and the clients");
    }

    @Test
    void vipOnTheTunnelDeviceIsTheClassicTunRecipeAndPasses()
    {
        final FixtureHostView host = FixtureHostView.load("rs-tun-good");
        host.withText(FixtureHostView.ADDRESSES, host.text(FixtureHostView.ADDRESSES)
            .replace("1: lo    inet 198.18.0.100/32 scope global lo",
                "3: tunl0    inet 198.18.0.100/32 scope global tunl0"));

        final Diagnosis diagnosis = diagnose(host);

        Expect.problems(diagnosis);
        Expect.says(diagnosis, "vip-on-lo", "198.18.0.100 is on tunl0 as /32");
    }

    @Test
    void vipOnTheTunnelDeviceIsWrongForDr()
    {
        final FixtureHostView host = FixtureHostView.load("rs-tun-good");
        host.withText(FixtureHostView.ADDRESSES, host.text(FixtureHostView.ADDRESSES)
            .replace("1: lo    inet 198.18.0.100/32 scope global lo",
                "3: tunl0    inet 198.18.0.100/32 scope global tunl0"));

        final Diagnosis diagnosis = Doctor.diagnose(Role.REAL_SERVER,
            DoctorOptions.builder().mode(Mode.DR).vip(VIP).client(CLIENT).build(), host);

        Expect.problems(diagnosis,
            fail("vip-on-lo", "ip addr del 198.18.0.100/32 dev tunl0 && ip addr add 198.18.0.100/32 dev lo"));
    }

    @Test
    void clientOnThisHostNeedsAcceptLocalOnTheTunnelDevice()
    {
        final Diagnosis diagnosis = diagnose(FixtureHostView.load("rs-tun-good"), Ipv4.parse("198.18.0.101"));

        Expect.problems(diagnosis, warn("client-local", ""),
            fail("accept-local", "sysctl -w net.ipv4.conf.tunl0.accept_local=1"));
    }
}
