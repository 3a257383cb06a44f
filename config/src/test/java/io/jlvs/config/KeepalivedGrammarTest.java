package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** keepalived.conf's lexical rules, synonyms and defaults, on small inline files. */
class KeepalivedGrammarTest
{
    private static final String FILE = "test.conf";

    @BeforeAll
    static void schedulers()
    {
        Fixtures.registerSchedulers("rr", "wrr", "wlc", "sh", "mh");
    }

    @Test
    void commentsStartWithBangOrHashAnywhereOnALine() throws ConfigException
    {
        final DirectorConfig config = parse("""
            ! a comment line
            # another one
            virtual_server 10.0.0.1 80 { # trailing
                lb_algo wrr!no space needed
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 80 {
                    weight 7 # seven
                }
            }
            """);
        assertEquals(List.of(), config.warnings());
        assertEquals("wrr", config.services().get(0).scheduler());
        assertEquals(7, config.services().get(0).realServers().get(0).weight());
    }

    @Test
    void blocksMayOpenOnTheNextLineOrSitOnOneLine() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 80
            {
                lb_algo rr
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 80 { weight 4 }
                real_server 10.0.0.3 80 { weight 5
                    TCP_CHECK { connect_timeout 2 } }
            }
            """);
        final List<RealServerConfig> servers = config.services().get(0).realServers();
        assertEquals(4, servers.get(0).weight());
        assertEquals(5, servers.get(1).weight());
        assertEquals(2_000, ((TcpCheck)servers.get(1).checks().get(0)).connection().connectTimeoutMs());
    }

    @Test
    void quotedStringsKeepBlanksAndUnderstandShellEscapes() throws ConfigException
    {
        final DirectorConfig config = parse(service("""
                real_server 10.0.0.2 80 {
                    notify_up "/usr/bin/notify \\"up\\"\\tnow" root
                    notify_down '/usr/bin/notify # not a comment'
                }
            """));
        final RealServerConfig server = config.services().get(0).realServers().get(0);
        assertEquals("/usr/bin/notify \"up\"\tnow", server.notifyUp());
        assertEquals("/usr/bin/notify # not a comment", server.notifyDown());
    }

    @Test
    void lvsSchedAndLvsMethodAreSynonymsOfLbAlgoAndLbKind() throws ConfigException
    {
        final VirtualServiceConfig service = parse("""
            virtual_server 10.0.0.1 80 {
                lvs_sched wlc
                lvs_method TUN
                protocol TCP
                real_server 10.0.0.2 80 {
                }
            }
            """).services().get(0);
        assertEquals("wlc", service.scheduler());
        assertEquals(ForwardingMethod.TUN, service.method());
        assertEquals(ForwardingMethod.TUN, service.realServers().get(0).method());
    }

    @Test
    void realServerMethodOverridesTheServiceMethod() throws ConfigException
    {
        final VirtualServiceConfig service = parse(service("""
                real_server 10.0.0.2 80 {
                    lvs_method TUN
                }
                real_server 10.0.0.3 80 {
                }
            """)).services().get(0);
        assertEquals(ForwardingMethod.TUN, service.realServers().get(0).method());
        assertEquals(ForwardingMethod.DR, service.realServers().get(1).method());
    }

    @Test
    void serviceWithoutLbKindTakesItFromRealServersThatAllSetOne() throws ConfigException
    {
        final VirtualServiceConfig service = parse("""
            virtual_server 10.0.0.1 80 {
                protocol TCP
                real_server 10.0.0.2 80 {
                    lvs_method TUN
                }
            }
            """).services().get(0);
        assertEquals(ForwardingMethod.TUN, service.method());
        assertEquals(Ipv4.parse("10.0.0.2"), service.realServers().get(0).address());
    }

    @Test
    void nbGetRetryIsRetryInEveryChecker() throws ConfigException
    {
        final List<HealthCheckConfig> checks = parse(service("""
                real_server 10.0.0.2 80 {
                    TCP_CHECK {
                        nb_get_retry 4
                    }
                    HTTP_GET {
                        url {
                            path /
                        }
                        nb_get_retry 5
                    }
                }
            """)).services().get(0).realServers().get(0).checks();
        assertEquals(4, checks.get(0).timing().retry());
        assertEquals(5, checks.get(1).timing().retry());
    }

    @Test
    void barePersistenceTimeoutMeansSixMinutes() throws ConfigException
    {
        assertEquals(360, parse(service("persistence_timeout\n" + REAL_SERVER)).services().get(0)
            .persistenceTimeoutSeconds());
    }

    @Test
    void persistenceGranularityAloneMakesTheServicePersistent() throws ConfigException
    {
        final VirtualServiceConfig service =
            parse(service("persistence_granularity 255.255.255.0\n" + REAL_SERVER)).services().get(0);
        assertEquals(360, service.persistenceTimeoutSeconds());
        assertEquals(0xFFFF_FF00, service.persistenceNetmask());
        assertEquals(true, service.isPersistent());
    }

    @Test
    void persistenceGranularityMustBeAContiguousNetmask()
    {
        assertEquals(FILE + ":5:25: expected a contiguous netmask such as 255.255.255.0, found '255.0.255.0'",
            error(service("persistence_granularity 255.0.255.0\n" + REAL_SERVER)));
    }

    @Test
    void serviceOnEveryPortBecomesPersistentWithAWarningAsInKeepalived() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 0 {
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 {
                }
            }
            """);
        assertEquals(List.of(new ConfigWarning(FILE, 1, 1, "virtual_server 10.0.0.1 0 serves every port (port 0), " +
            "which IPVS allows only for persistent services: persistence_timeout 360 is used, as keepalived does")),
            config.warnings());
        final VirtualServiceConfig service = config.services().get(0);
        assertEquals(360, service.persistenceTimeoutSeconds());
        assertEquals("wlc", service.scheduler());
        assertEquals(0, service.realServers().get(0).port());
    }

    @Test
    void unknownKeywordsWarnWithTheirPositionAndTheirBlocksAreSkipped() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 80 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                lb_future_option 3
                real_server 10.0.0.2 80 {
                    shiny_new_thing {
                        nested { deeper 1 }
                    }
                    TCP_CHECK {
                        connect_timeout 2
                        check_harder yes
                    }
                }
            }
            frobnicate 1
            """);
        assertEquals(List.of(
            new ConfigWarning(FILE, 5, 5, "unknown keyword 'lb_future_option' in virtual_server is ignored"),
            new ConfigWarning(FILE, 7, 9, "unknown keyword 'shiny_new_thing' in real_server is ignored"),
            new ConfigWarning(FILE, 12, 13, "unknown keyword 'check_harder' in TCP_CHECK is ignored"),
            new ConfigWarning(FILE, 16, 1, "unknown keyword 'frobnicate' is ignored")), config.warnings());
        assertEquals("test.conf:5:5: unknown keyword 'lb_future_option' in virtual_server is ignored",
            config.warnings().get(0).toString());
        assertEquals(1, config.services().get(0).realServers().get(0).checks().size());
    }

    @Test
    void sectionsJlvsDoesNotImplementAreReportedOnceWithTheirCount() throws ConfigException
    {
        final DirectorConfig config = parse("""
            vrrp_instance VI_1 {
                state MASTER
                virtual_ipaddress {
                    10.0.0.1
                }
            }
            vrrp_instance VI_2 {
                state BACKUP
            }
            vrrp_instance VI_3 {
            }
            """ + service(REAL_SERVER));
        assertEquals(List.of(new ConfigWarning(FILE, 1, 1, "'vrrp_instance' is not implemented by jlvs and is " +
            "ignored (3 occurrences); jlvs does not run VRRP, so this director takes no part in failover")),
            config.warnings());
        assertEquals(1, config.services().size());
    }

    @Test
    void serviceWithoutProtocolIsUdpAsInKeepalivedWithAWarning() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 53 {
                lb_kind DR
                real_server 10.0.0.2 53 {
                }
            }
            """);
        assertEquals(List.of(new ConfigWarning(FILE, 1, 1, "virtual_server 10.0.0.1 53 sets no protocol; " +
            "keepalived then uses UDP and so does jlvs: add 'protocol TCP' for a TCP service")), config.warnings());
        assertEquals(Protocol.UDP, config.services().get(0).protocol());
    }

    @Test
    void checkersGetKeepalivedsDefaults() throws ConfigException
    {
        final RealServerConfig server = parse(service("""
                real_server 10.0.0.2 80 {
                    TCP_CHECK {
                    }
                    HTTP_GET {
                        url {
                            path /health
                        }
                    }
                    MISC_CHECK {
                        misc_path /bin/true
                    }
                }
            """)).services().get(0).realServers().get(0);
        final int address = Ipv4.parse("10.0.0.2");
        assertEquals(new TcpCheck(FILE, 6, new CheckConnection(address, 80, 0, 0, 5_000),
            new CheckTiming(1, 1_000, 60_000, 60_000, false)), server.checks().get(0));
        assertEquals(new HttpGetCheck(FILE, 8, false, new CheckConnection(address, 80, 0, 0, 5_000),
            new CheckTiming(1, 3_000, 60_000, 60_000, false),
            List.of(new UrlCheck("/health", List.of(new StatusCodeRange(200, 299)), null, null)), "1.0", false),
            server.checks().get(1));
        assertEquals(new MiscCheck(FILE, 13, new CheckTiming(0, 1_000, 60_000, 60_000, false), "/bin/true",
            List.of("/bin/true"), 60_000, false, null), server.checks().get(2));
        assertEquals(1, server.weight());
    }

    @Test
    void settingsInheritFromServiceToRealServerToChecker() throws ConfigException
    {
        final VirtualServiceConfig service = parse(service("""
                delay_loop 10
                connect_timeout 7
                retry 2
                delay_before_retry 4
                warmup 0
                weight 3
                virtualhost www.example.com
                alpha
                inhibit_on_failure
                real_server 10.0.0.2 80 {
                    delay_loop 20
                    retry 5
                    alpha off
                    inhibit_on_failure no
                    virtualhost rs.example.com
                    HTTP_GET {
                        url {
                            path /a
                        }
                        url {
                            path /b
                            virtualhost url.example.com
                        }
                        delay_before_retry 1.5
                    }
                }
                real_server 10.0.0.3 80 {
                    TCP_CHECK {
                        alpha no
                    }
                }
            """)).services().get(0);
        final RealServerConfig first = service.realServers().get(0);
        final HttpGetCheck http = (HttpGetCheck)first.checks().get(0);
        assertEquals(new CheckTiming(5, 1_500, 20_000, 0, false), http.timing());
        assertEquals(7_000, http.connection().connectTimeoutMs());
        assertEquals("rs.example.com", http.urls().get(0).virtualHost());
        assertEquals("url.example.com", http.urls().get(1).virtualHost());
        assertEquals(3, first.weight());
        assertEquals(false, first.inhibitOnFailure());

        final RealServerConfig second = service.realServers().get(1);
        assertEquals(new CheckTiming(2, 4_000, 10_000, 0, false), second.checks().get(0).timing());
        assertEquals(true, second.inhibitOnFailure());
        assertEquals(true, service.alpha());
        assertEquals(10, service.delayLoopSeconds());
    }

    @Test
    void fractionalTimersKeepMillisecondsAndTheServiceDelayRoundsUp() throws ConfigException
    {
        final VirtualServiceConfig service = parse(service("""
                delay_loop 2.5
                real_server 10.0.0.2 80 {
                    TCP_CHECK {
                        connect_timeout 0.0001
                    }
                }
            """)).services().get(0);
        final TcpCheck check = (TcpCheck)service.realServers().get(0).checks().get(0);
        assertEquals(2_500, check.timing().delayLoopMs());
        assertEquals(1, check.connection().connectTimeoutMs());
        assertEquals(3, service.delayLoopSeconds());
    }

    @Test
    void badTimerIsAnError()
    {
        assertEquals(FILE + ":5:12: expected a delay loop in seconds (such as 3 or 2.5), found '5s'",
            error(service("delay_loop 5s\n" + REAL_SERVER)));
    }

    @Test
    void tunnelTypesOtherThanIpipAreRefused()
    {
        assertEquals(FILE + ":3:25: expected tunnel type ipip (jlvs tunnels IP in IP only), found 'gue'", error("""
            virtual_server 10.0.0.1 80 {
                lb_kind TUN type gue port 6080
            }
            """.replace("    lb_kind", "    lvs_method").replace("{\n", "{\n    protocol TCP\n")));
    }

    @Test
    void sctpAndIpv6AreRefused()
    {
        assertEquals(FILE + ":1:16: expected an IPv4 address (jlvs does not support IPv6), found '2001:db8::1'",
            error("virtual_server 2001:db8::1 80 {\n}\n"));
        assertEquals(FILE + ":2:14: protocol SCTP is not supported by jlvs (TCP and UDP only)",
            error("virtual_server 10.0.0.1 80 {\n    protocol SCTP\n}\n"));
        assertEquals(FILE + ":2:15: expected inet (jlvs does not support IPv6), found 'inet6'",
            error("virtual_server 10.0.0.1 80 {\n    ip_family inet6\n}\n"));
    }

    @Test
    void groupRangesOfFullAddressesAndPrefixesExpand() throws ConfigException
    {
        final VirtualServiceConfig service = parse("""
            virtual_server_group pool {
                10.0.0.254-10.0.1.1 443
                10.0.2.0/31 443
            }
            virtual_server group pool {
                lb_kind DR
                protocol TCP
                real_server 10.1.0.2 443 {
                }
            }
            """).services().get(0);
        assertEquals(List.of(address("10.0.0.254", 443), address("10.0.0.255", 443), address("10.0.1.0", 443),
            address("10.0.1.1", 443), address("10.0.2.0", 443), address("10.0.2.1", 443)), service.addresses());
    }

    @Test
    void groupRangeErrorsSayWhatFormIsExpected()
    {
        final String tail =
            "virtual_server group g {\n    lb_kind DR\n    protocol TCP\n    real_server 10.1.0.2 80\n}\n";
        assertEquals(FILE + ":2:5: expected a range whose end is above its start (such as 10.0.0.1-10), found " +
            "'10.0.0.5-3'", error("virtual_server_group g {\n    10.0.0.5-3 80\n}\n" + tail));
        assertEquals(FILE + ":2:5: expected a network address with no host bits set for /29 (such as " +
            "10.0.0.8/29), found '10.0.0.9/29'", error("virtual_server_group g {\n    10.0.0.9/29 80\n}\n" + tail));
        assertEquals(FILE + ":2:5: expected at most 4096 addresses in one range, found 65536 in '10.0.0.0/16'",
            error("virtual_server_group g {\n    10.0.0.0/16 80\n}\n" + tail));
        assertEquals(FILE + ":2:5: expected an IPv4 address, range (10.0.0.1-10) or prefix (10.0.0.0/29), found " +
            "'web.example.com'", error("virtual_server_group g {\n    web.example.com 80\n}\n" + tail));
        assertEquals(FILE + ":4:22: expected the name of a virtual_server_group, found 'h' (no such group)",
            error("virtual_server_group g {\n    10.0.0.1 80\n}\n" + tail.replace("group g", "group h")));
        assertEquals(FILE + ":4:22: expected each virtual_server_group name once, found 'g' again (first at " +
            FILE + ":1:1)", error("virtual_server_group g {\n    10.0.0.1 80\n}\nvirtual_server_group g {\n}\n"));
    }

    @Test
    void groupWithFwmarkEntriesTakesItsAddressesFromJlvsMatch() throws ConfigException
    {
        final String group = "virtual_server_group mixed {\n    10.0.0.1 80\n    fwmark 7\n}\n";
        final String service = """
            virtual_server group mixed {
                lb_kind DR
                protocol TCP
                %s
                real_server 10.1.0.2 80 {
                }
            }
            """;
        assertEquals(List.of(address("10.0.0.1", 80), address("10.0.0.2", 80), address("10.0.0.3", 80)),
            parse(group + service.formatted("jlvs_match 10.0.0.2-3:80")).services().get(0).addresses());
        assertEquals(FILE + ":5:1: expected jlvs_match VIP:PORT ... in virtual_server group mixed, found none " +
            "(the group has fwmark 7): jlvs does not see netfilter marks, so list the addresses your iptables MARK " +
            "rules select", error(group + service.formatted("")));
    }

    @Test
    void jlvsMatchWithoutPortMeansEveryPortAndIsOnlyForFwmarkServices() throws ConfigException
    {
        final VirtualServiceConfig service = parse("""
            virtual_server fwmark 3 {
                lb_kind DR
                protocol UDP
                jlvs_match 10.0.0.1 10.0.0.8/30:53
                jlvs_exclude_source_mac 52-54-00-AA-BB-CC
                real_server 10.1.0.2 53 {
                }
            }
            """).services().get(0);
        assertEquals(List.of(address("10.0.0.1", 0), address("10.0.0.8", 53), address("10.0.0.9", 53),
            address("10.0.0.10", 53), address("10.0.0.11", 53)), service.addresses());
        assertEquals(List.of(0x5254_00AA_BBCCL), service.excludedSourceMacs());
        assertEquals(Integer.valueOf(3), service.fwmark());
        assertEquals(0, service.persistenceTimeoutSeconds());

        assertEquals(FILE + ":5:1: expected jlvs_match only in a fwmark service (virtual_server fwmark N, or a " +
            "group with fwmark entries), found it in virtual_server 10.0.0.1 80",
            error(service("jlvs_match 10.0.0.1:80\n" + REAL_SERVER)));
        assertEquals(FILE + ":5:12: expected VIP:PORT (such as 10.0.0.1:80, 10.0.0.1-10:80 or 10.0.0.0/29:80), " +
            "found '10.0.0.1:http'", error(service("jlvs_match 10.0.0.1:http\n" + REAL_SERVER)));
    }

    @Test
    void fwmarkServiceWithoutProtocolMatchesTcpWithAWarning() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server fwmark 1 {
                lb_kind DR
                jlvs_match 10.0.0.1:80
                real_server 10.1.0.2 80 {
                }
            }
            """);
        assertEquals(Protocol.TCP, config.services().get(0).protocol());
        assertEquals(List.of(new ConfigWarning(FILE, 1, 1, "virtual_server fwmark 1 sets no protocol; jlvs " +
            "matches TCP for it: add 'protocol UDP' for a UDP service")), config.warnings());
    }

    @Test
    void badMacIsAnError()
    {
        assertEquals(FILE + ":5:25: expected a MAC address such as 52:54:00:12:34:56, found '52:54:00:12:34'",
            error(service("jlvs_exclude_source_mac 52:54:00:12:34\n" + REAL_SERVER)));
    }

    @Test
    void sameFwmarkTwiceIsAnErrorButOneVipPortMayServeTcpAndUdp() throws ConfigException
    {
        final String fwmark = "virtual_server fwmark 1 {\n  lb_kind DR\n  protocol TCP\n  jlvs_match 10.0.0.%d:80\n" +
            "  real_server 10.1.0.2 80\n}\n";
        assertEquals(FILE + ":7:1: expected each fwmark once, found fwmark 1 again (first at " + FILE + ":1:1)",
            error(fwmark.formatted(1) + fwmark.formatted(2)));

        final DirectorConfig config = parse(service(REAL_SERVER) + service(REAL_SERVER).replace("TCP", "UDP"));
        assertEquals(2, config.services().size());
    }

    @Test
    void lowerThresholdAboveUpperThresholdIsAnError()
    {
        assertEquals(FILE + ":7:9: expected lthreshold no larger than uthreshold 10, found 50", error(service("""
                real_server 10.0.0.2 80 {
                    uthreshold 10
                    lthreshold 50
                }
            """)));
    }

    @Test
    void httpCheckErrorsNameWhatIsMissingOrMalformed()
    {
        assertEquals(FILE + ":6:9: expected a url { path ... } in this HTTP_GET, found none",
            error(service("real_server 10.0.0.2 80 {\n        HTTP_GET {\n        }\n    }\n")));
        assertEquals(FILE + ":7:13: expected path in this url block, found none",
            error(service("real_server 10.0.0.2 80 {\n    SSL_GET {\n            url {\n status_code 200\n}\n" +
                "}\n}\n")));
        assertEquals(FILE + ":9:19: expected an MD5 digest of 32 hexadecimal digits (as genhash prints it), " +
            "found 'abc'", error(service("real_server 10.0.0.2 80 {\n HTTP_GET {\n  url {\n   path /\n" +
                "           digest abc\n  }\n }\n}\n")));
        assertEquals(FILE + ":9:20: expected an HTTP status code 100..599 or a range such as 200-299, found " +
            "'299-200'", error(service("real_server 10.0.0.2 80 {\n HTTP_GET {\n  url {\n   path /\n" +
                "   status_code 200 299-200\n  }\n }\n}\n")));
        assertEquals(FILE + ":7:22: expected 1.0, 1.0C or 1.1, found '2'", error(service(
            "real_server 10.0.0.2 80 {\n HTTP_GET {\n       http_protocol 2\n }\n}\n")));
    }

    @Test
    void miscCheckNeedsAProgram()
    {
        assertEquals(FILE + ":6:5: expected misc_path in this MISC_CHECK, found none",
            error(service("real_server 10.0.0.2 80 {\n    MISC_CHECK {\n        misc_timeout 5\n    }\n}\n")));
    }

    @Test
    void checkerNeedsAPortWhenNeitherServerNorServiceHasOne()
    {
        assertEquals(FILE + ":6:5: expected connect_port in this TCP_CHECK, found none (real_server 10.1.0.2 has " +
            "no port and the service has no single port)", error("""
            virtual_server fwmark 1 {
                lb_kind DR
                protocol TCP
                jlvs_match 10.0.0.1:80 10.0.0.1:443
                real_server 10.1.0.2 {
                TCP_CHECK {
                }
                }
            }
            """));
    }

    @Test
    void schedulerFlagsAreMappedForTheSchedulerThatReadsThem() throws ConfigException
    {
        final DirectorConfig mh = parse(service("lb_algo mh\nflag-2\nmh-fallback\n" + REAL_SERVER)
            .replace("    lb_algo rr\n", ""));
        assertEquals("mh-port,mh-fallback", mh.services().get(0).schedulerFlags());
        assertEquals(List.of(), mh.warnings());

        final DirectorConfig rr = parse(service("lb_algo rr\nsh-port\nflag-1\nops\nhashed\n" + REAL_SERVER));
        assertEquals("rr", rr.services().get(0).scheduler());
        assertEquals("", rr.services().get(0).schedulerFlags());
        assertEquals(false, rr.services().get(0).onePacketScheduling());
        assertEquals(List.of(
            new ConfigWarning(FILE, 5, 1, "'lb_algo' is set again; this value replaces the one at test.conf:2:5"),
            new ConfigWarning(FILE, 6, 1, "'sh-port' applies to the sh scheduler only and is ignored"),
            new ConfigWarning(FILE, 7, 1, "'flag-1' has no meaning for scheduler rr and is ignored"),
            new ConfigWarning(FILE, 8, 1, "'ops' (one-packet scheduling) applies to UDP services only and is ignored"),
            new ConfigWarning(FILE, 9, 1, "'hashed' has no effect in jlvs and is ignored")), rr.warnings());
    }

    @Test
    void realServerOnAnotherPortWarnsThatDrKeepsTheClientsPort() throws ConfigException
    {
        final DirectorConfig config = parse(service("real_server 10.0.0.2 8080 {\n}\n"));
        assertEquals(List.of(new ConfigWarning(FILE, 5, 1, "real_server 10.0.0.2:8080: DR does not change ports, " +
            "so it receives the clients' port 80, not 8080")), config.warnings());
    }

    @Test
    void serviceWithoutRealServersIsLeftOutWithAWarningAsKeepalivedDoes() throws ConfigException
    {
        final DirectorConfig config = parse(service("sorry_server 10.0.0.9 80\n"));
        assertEquals(List.of(), config.services());
        assertEquals(List.of(
            new ConfigWarning(FILE, 1, 1, "virtual_server 10.0.0.1 80 has no real_server and is ignored, as " +
                "keepalived does"),
            new ConfigWarning(FILE, 1, 1, "no virtual_server is defined: jlvs has nothing to balance")),
            config.warnings());
        // Left out before anything else is looked at: no lb_kind is then no error.
        assertEquals(List.of(), parse("virtual_server 10.0.0.1 80 {\n    lb_algo rr\n}\n").services());
    }

    @Test
    void quorumWarningsMatchKeepalivedsRules() throws ConfigException
    {
        final DirectorConfig zero = parse(service("quorum 0\n" + REAL_SERVER));
        assertEquals(1, zero.services().get(0).quorum());
        assertEquals(List.of(new ConfigWarning(FILE, 5, 1, "quorum 0 is below keepalived's minimum of 1; 1 is used")),
            zero.warnings());
        final DirectorConfig high = parse(service("quorum 5\n" + REAL_SERVER));
        assertEquals(5, high.services().get(0).quorum());
        assertEquals(List.of(new ConfigWarning(FILE, 5, 1, "quorum 5 is above the total weight 1 of the real " +
            "servers, so the quorum is never reached")), high.warnings());
    }

    @Test
    void sorryServerInheritsTheServiceMethodUnlessGivenOne() throws ConfigException
    {
        final VirtualServiceConfig service = parse(service(
            "sorry_server 10.0.0.9 8080\nsorry_server_inhibit\nsorry_server_lvs_method TUN\n" + REAL_SERVER))
            .services().get(0);
        assertEquals(new RealServerConfig(FILE, 5, Ipv4.parse("10.0.0.9"), 8080, 1, 0, 0, ForwardingMethod.TUN,
            List.of(), null, null, true), service.sorryServer());
    }

    @Test
    void extraValuesAreIgnoredWithAWarning() throws ConfigException
    {
        final DirectorConfig config = parse(service("real_server 10.0.0.2 80 {\n    weight 3 4\n}\n"));
        assertEquals(3, config.services().get(0).realServers().get(0).weight());
        assertEquals(List.of(new ConfigWarning(FILE, 6, 14, "unexpected '4' after 'weight' is ignored")),
            config.warnings());
    }

    @Test
    void blockAfterAValueKeywordIsAnErrorRatherThanSilentlyDropped()
    {
        assertEquals(FILE + ":6:24: expected end of line after 'weight', found '{'", error(service("""
            real_server 10.0.0.2 80 {
                weight 5 TCP_CHECK {
                    connect_timeout 2
                }
            }
            """)));
    }

    @Test
    void missingBraceAfterVirtualServerIsAnError()
    {
        assertEquals(FILE + ":1:27: expected '{' to open the virtual_server block, found end of line",
            error("virtual_server 10.0.0.1 80\n"));
    }

    @Test
    void keywordWithoutValueBeforeABraceSaysSo()
    {
        assertEquals(FILE + ":1:15: expected an IPv4 address, 'fwmark N' or 'group NAME' after 'virtual_server', " +
            "found '{'", error("virtual_server {\n}\n"));
    }

    @Test
    void conditionalConfigurationAndParametersAreRefusedRatherThanIgnored()
    {
        assertEquals(FILE + ":5:1: expected a keyword, found conditional configuration '@lb1' (not supported by " +
            "jlvs: keep only this director's lines)", error(service("@lb1 weight 2\n" + REAL_SERVER)));
        assertEquals(FILE + ":1:1: expected a keyword, found parameter '$VIP=10.0.0.1' (parameter substitution is " +
            "not supported by jlvs)", error("$VIP=10.0.0.1\n"));
    }

    @Test
    void emptyFileHasNothingToBalance() throws ConfigException
    {
        assertEquals(List.of(new ConfigWarning(FILE, 1, 1, "no virtual_server is defined: jlvs has nothing to " +
            "balance")), parse("! nothing here\n").warnings());
    }

    @Test
    void modelIsImmutable() throws ConfigException
    {
        final DirectorConfig config = parse(service(REAL_SERVER));
        assertThrows(UnsupportedOperationException.class, () -> config.services().clear());
        assertThrows(UnsupportedOperationException.class,
            () -> config.services().get(0).realServers().clear());
        assertThrows(UnsupportedOperationException.class,
            () -> config.services().get(0).addresses().clear());
    }

    @Test
    void exceptionCarriesFileLineAndColumnSeparately()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> KeepalivedConfig.parse("virtual_server 10.0.0.1 80 {\n    lb_kind NAT\n}\n", "lb.conf"));
        assertEquals("lb.conf", ex.file());
        assertEquals(2, ex.line());
        assertEquals(13, ex.column());
        assertEquals("lb_kind NAT is not supported by jlvs (DR and TUN only)", ex.detail());
    }

    private static final String REAL_SERVER = "real_server 10.0.0.2 80 {\n}\n";

    /** A valid TCP DR service on 10.0.0.1:80 whose block ends with {@code body} (from line 5 on). */
    private static String service(final String body)
    {
        return "virtual_server 10.0.0.1 80 {\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n" + body + "}\n";
    }

    private static VirtualAddress address(final String ip, final int port)
    {
        return new VirtualAddress(Ipv4.parse(ip), port);
    }

    private static DirectorConfig parse(final String text) throws ConfigException
    {
        return KeepalivedConfig.parse(text, FILE);
    }

    private static String error(final String text)
    {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }
}
