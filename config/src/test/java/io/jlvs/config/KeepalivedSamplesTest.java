package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The realistic keepalived.conf samples of jlvs-test-fixtures read into exactly the expected model. */
class KeepalivedSamplesTest
{
    private static final int HOST_NETMASK = 0xFFFF_FFFF;

    @BeforeAll
    static void schedulers()
    {
        Fixtures.registerSchedulers("rr", "wrr", "wlc", "sh");
    }

    @Test
    void readsDrServiceWithTcpChecksWrittenWithNbGetRetry() throws ConfigException
    {
        final String file = Fixtures.path("dr-tcp-check.conf").toString();
        final DirectorConfig config = Fixtures.parse("dr-tcp-check.conf");

        assertEquals(List.of(), config.warnings());
        assertEquals(1, config.services().size());
        final VirtualServiceConfig service = config.services().get(0);
        assertEquals(new VirtualServiceConfig(file, 5, Protocol.TCP, List.of(address("192.168.10.100", 80)), null,
            null, "wrr", "", ForwardingMethod.DR, 50, HOST_NETMASK, 6, null, false, 1, 0, false, false,
            service.realServers(), List.of(), false, null, null), service);
        final CheckTiming timing = new CheckTiming(3, 3_000, 6_000, 6_000, false);
        assertEquals(List.of(
            new RealServerConfig(file, 12, ip("192.168.10.11"), 80, 3, 0, 0, ForwardingMethod.DR,
                List.of(new TcpCheck(file, 14, connection("192.168.10.11", 80, 3_000), timing)), null, null, false),
            new RealServerConfig(file, 21, ip("192.168.10.12"), 80, 2, 0, 0, ForwardingMethod.DR,
                List.of(new TcpCheck(file, 23, connection("192.168.10.12", 80, 3_000), timing)), null, null, false),
            new RealServerConfig(file, 30, ip("192.168.10.13"), 80, 1, 0, 0, ForwardingMethod.DR,
                List.of(new TcpCheck(file, 33, connection("192.168.10.13", 80, 3_000), timing)), null,
                "/etc/keepalived/rs-down.sh", false)),
            service.realServers());
        assertEquals("192.168.10.100:80 TCP", service.displayName());
    }

    @Test
    void readsFwmarkServiceWithWrrFromItsJlvsMatchAddresses() throws ConfigException
    {
        final String file = Fixtures.path("fwmark-wrr.conf").toString();
        final DirectorConfig config = Fixtures.parse("fwmark-wrr.conf");

        assertEquals(List.of(), config.warnings());
        final VirtualServiceConfig service = config.services().get(0);
        final CheckTiming timing = new CheckTiming(1, 1_000, 10_000, 10_000, false);
        assertEquals(new VirtualServiceConfig(file, 8, Protocol.TCP,
            List.of(address("192.168.20.100", 80), address("192.168.20.100", 443)), 1, null, "wrr", "",
            ForwardingMethod.DR, 600, HOST_NETMASK, 10, null, false, 1, 0, false, false,
            List.of(
                new RealServerConfig(file, 18, ip("192.168.20.11"), 0, 5, 0, 0, ForwardingMethod.DR,
                    List.of(new TcpCheck(file, 20, connection("192.168.20.11", 443, 2_000), timing)), null, null),
                new RealServerConfig(file, 25, ip("192.168.20.12"), 0, 1, 0, 0, ForwardingMethod.DR,
                    List.of(new TcpCheck(file, 27, connection("192.168.20.12", 443, 2_000), timing)), null, null)),
            List.of(0x5254_00aa_bb02L), false, null, null), service);
        assertEquals("FWM 1", service.displayName());
    }

    @Test
    void readsUdpServiceWithOnePacketSchedulingAndMiscChecks() throws ConfigException
    {
        final String file = Fixtures.path("udp-dns.conf").toString();
        final DirectorConfig config = Fixtures.parse("udp-dns.conf");

        assertEquals(List.of(), config.warnings());
        final VirtualServiceConfig service = config.services().get(0);
        assertEquals(Protocol.UDP, service.protocol());
        assertEquals("rr", service.scheduler());
        assertEquals(ForwardingMethod.DR, service.method());
        assertEquals(true, service.onePacketScheduling());
        assertEquals(List.of(address("10.53.0.53", 53)), service.addresses());
        assertEquals(new MiscCheck(file, 12, new CheckTiming(0, 1_000, 5_000, 5_000, false),
            "/usr/lib/keepalived/check_dns.sh 10.53.0.11 'example.org A'",
            List.of("/usr/lib/keepalived/check_dns.sh", "10.53.0.11", "example.org A"), 3_000, false, null),
            service.realServers().get(0).checks().get(0));
    }

    @Test
    void readsTunServiceWithBarePersistenceTimeoutAndSslChecks() throws ConfigException
    {
        final String file = Fixtures.path("tun.conf").toString();
        final DirectorConfig config = Fixtures.parse("tun.conf");

        assertEquals(List.of(), config.warnings());
        final VirtualServiceConfig service = config.services().get(0);
        assertEquals(ForwardingMethod.TUN, service.method());
        assertEquals("wlc", service.scheduler());
        assertEquals(360, service.persistenceTimeoutSeconds());
        assertEquals(0xFFFF_FF00, service.persistenceNetmask());
        assertEquals(15, service.delayLoopSeconds());
        final RealServerConfig first = service.realServers().get(0);
        assertEquals(5000, first.upperThreshold());
        assertEquals(4000, first.lowerThreshold());
        assertEquals(ForwardingMethod.TUN, service.realServers().get(1).method());
        assertEquals(new HttpGetCheck(file, 14, true, connection("198.51.100.21", 443, 4_000),
            new CheckTiming(2, 3_000, 15_000, 15_000, false),
            List.of(new UrlCheck("/healthz", List.of(new StatusCodeRange(200, 200), new StatusCodeRange(204, 204)),
                null, null)), "1.0", false), first.checks().get(0));
    }

    @Test
    void readsMasterBackupFileAndReportsEachVrrpSectionOnce() throws ConfigException
    {
        final String file = Fixtures.path("master-backup.conf").toString();
        final DirectorConfig config = Fixtures.parse("master-backup.conf");

        final String vrrp = "; jlvs does not run VRRP, so this director takes no part in failover";
        assertEquals(List.of(
            new ConfigWarning(file, 4, 1, "'global_defs' is not implemented by jlvs and is ignored"),
            new ConfigWarning(file, 19, 1, "'vrrp_script' is not implemented by jlvs and is ignored" + vrrp),
            new ConfigWarning(file, 25, 1, "'vrrp_sync_group' is not implemented by jlvs and is ignored" + vrrp),
            new ConfigWarning(file, 32, 1,
                "'vrrp_instance' is not implemented by jlvs and is ignored (2 occurrences)" + vrrp),
            new ConfigWarning(file, 62, 1, "'static_ipaddress' is not implemented by jlvs and is ignored; " +
                "jlvs configures no addresses, routes or rules"),
            new ConfigWarning(file, 81, 5, "'smtp_alert' is not implemented by jlvs and is ignored"),
            new ConfigWarning(file, 143, 9,
                "'PING_CHECK' is not implemented by jlvs and is ignored; it takes no real server down")),
            config.warnings());

        assertEquals(2, config.services().size());
        final VirtualServiceConfig web = config.services().get(0);
        assertEquals("wlc", web.scheduler());
        assertEquals(300, web.persistenceTimeoutSeconds());
        assertEquals(true, web.alpha());
        assertEquals(true, web.omega());
        assertEquals(2, web.quorum());
        assertEquals(1, web.hysteresis());
        assertEquals("/etc/keepalived/quorum.sh up", web.quorumUp());
        assertEquals("/etc/keepalived/quorum.sh down", web.quorumDown());
        assertEquals(true, web.inhibitOnFailure());
        assertEquals(new RealServerConfig(file, 80, ip("192.168.1.250"), 8080, 1, 0, 0, ForwardingMethod.DR,
            List.of(), null, null, false), web.sorryServer());

        final RealServerConfig first = web.realServers().get(0);
        assertEquals("/etc/keepalived/rs.sh up 192.168.1.11", first.notifyUp());
        assertEquals("/etc/keepalived/rs.sh down 192.168.1.11", first.notifyDown());
        assertEquals(true, first.inhibitOnFailure());
        assertEquals(new HttpGetCheck(file, 87, false, connection("192.168.1.11", 80, 3_000),
            new CheckTiming(3, 2_000, 5_000, 5_000, true),
            List.of(
                new UrlCheck("/index.html", List.of(new StatusCodeRange(200, 299)),
                    "9b3a0c85a887a256d6939da88aabd8cd", "www.example.com"),
                new UrlCheck("/status", List.of(new StatusCodeRange(200, 299), new StatusCodeRange(401, 401)),
                    null, "status.example.com")),
            "1.1", false), first.checks().get(0));

        final RealServerConfig second = web.realServers().get(1);
        assertEquals(false, second.inhibitOnFailure());
        assertEquals(new CheckConnection(ip("192.168.1.12"), 8081, ip("192.168.1.2"), 0, 5_000),
            ((HttpGetCheck)second.checks().get(0)).connection());
        assertEquals(new CheckTiming(1, 3_000, 5_000, 5_000, true), second.checks().get(0).timing());

        assertEquals(new MiscCheck(file, 119, new CheckTiming(0, 1_000, 5_000, 5_000, true),
            "/usr/local/bin/check_app.sh 192.168.1.13", List.of("/usr/local/bin/check_app.sh", "192.168.1.13"),
            5_000, true, null), web.realServers().get(2).checks().get(0));

        final VirtualServiceConfig database = config.services().get(1);
        assertEquals(List.of(address("10.0.0.100", 3306)), database.addresses());
        assertEquals(List.of(new TcpCheck(file, 145, connection("10.0.0.22", 3306, 10_000),
            new CheckTiming(1, 1_000, 2_000, 2_000, false))), database.realServers().get(1).checks());
    }

    @Test
    void readsGroupServiceWithRangesPrefixesAndShFlags() throws ConfigException
    {
        final DirectorConfig config = Fixtures.parse("group.conf");

        assertEquals(List.of(), config.warnings());
        final VirtualServiceConfig service = config.services().get(0);
        assertEquals("web_vips", service.groupName());
        assertNull(service.fwmark());
        assertEquals(List.of(
            address("192.168.30.10", 80), address("192.168.30.20", 80), address("192.168.30.21", 80),
            address("192.168.30.22", 80), address("192.168.30.64", 80), address("192.168.30.65", 80),
            address("192.168.30.66", 80), address("192.168.30.67", 80)), service.addresses());
        assertEquals("sh", service.scheduler());
        assertEquals("sh-port,sh-fallback", service.schedulerFlags());
        assertEquals("[web_vips]", service.displayName());
        assertEquals(1, service.realServers().get(0).weight());
    }

    @Test
    void readsIncludedFilesInOrderWithBlocksSpanningFiles() throws ConfigException
    {
        final java.nio.file.Path main = Fixtures.path("include/keepalived.conf");
        final String dir = main.getParent().toString();
        final DirectorConfig config = KeepalivedConfig.parse(main);

        // Warnings of the reading pass (includes) come before those of the interpretation.
        assertEquals(List.of(
            new ConfigWarning(main.toString(), 7, 9, "include 'optional.d/*.conf' matches no file"),
            new ConfigWarning(main.toString(), 2, 1, "'global_defs' is not implemented by jlvs and is ignored")),
            config.warnings());
        assertEquals(2, config.services().size());
        final VirtualServiceConfig web = config.services().get(0);
        assertEquals(dir + "/conf.d/10-web.conf", web.file());
        assertEquals(List.of(address("172.16.0.80", 80)), web.addresses());
        assertEquals(2, web.realServers().size());
        assertEquals(dir + "/real_servers/web/web-a.conf", web.realServers().get(0).file());
        assertEquals(ip("172.16.0.11"), web.realServers().get(0).address());
        assertEquals(dir + "/real_servers/web/web-b.conf", web.realServers().get(1).file());
        final VirtualServiceConfig smtp = config.services().get(1);
        assertEquals(dir + "/conf.d/20-smtp.conf", smtp.file());
        assertEquals(60, smtp.delayLoopSeconds());
    }

    private static int ip(final String text)
    {
        return Ipv4.parse(text);
    }

    private static VirtualAddress address(final String ip, final int port)
    {
        return new VirtualAddress(ip(ip), port);
    }

    private static CheckConnection connection(final String ip, final int port, final long timeoutMs)
    {
        return new CheckConnection(ip(ip), port, 0, 0, timeoutMs);
    }
}
