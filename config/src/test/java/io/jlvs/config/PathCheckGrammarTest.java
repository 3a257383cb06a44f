package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** jlvs' {@code PATH_CHECK} in a real_server block: its keywords, defaults, targets and errors. */
class PathCheckGrammarTest
{
    private static final String FILE = "test.conf";
    private static final int RS = Ipv4.parse("10.0.0.2");

    @BeforeAll
    static void schedulers()
    {
        Fixtures.registerSchedulers("rr", "wrr");
    }

    @Test
    void emptyPathCheckTakesTcpCheckDefaultsAndTheServicePort() throws ConfigException
    {
        final DirectorConfig config = parse(service("""
                real_server 10.0.0.2 80 {
                    PATH_CHECK {
                    }
                }
            """));
        assertEquals(List.of(), config.warnings());
        assertEquals(List.of(new PathCheck(FILE, 6, RS, ForwardingMethod.DR, List.of(address("10.0.0.1", 80)), 5_000,
            new CheckTiming(1, 1_000, 60_000, 60_000, false))), checks(config));
    }

    @Test
    void everyKeywordIsReadAndNbGetRetryIsRetry() throws ConfigException
    {
        final DirectorConfig config = parse(service("""
                real_server 10.0.0.2 80 {
                    PATH_CHECK {
                        connect_port 8080
                        connect_timeout 1.5
                        nb_get_retry 3
                        delay_before_retry 2
                        delay_loop 4
                        warmup 0
                        alpha
                    }
                }
            """));
        assertEquals(List.of(), config.warnings());
        assertEquals(List.of(new PathCheck(FILE, 6, RS, ForwardingMethod.DR, List.of(address("10.0.0.1", 8080)),
            1_500, new CheckTiming(3, 2_000, 4_000, 0, true))), checks(config));
    }

    @Test
    void timingAndTimeoutAreInheritedFromRealServerThenService() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 443 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                delay_loop 7
                connect_timeout 3
                retry 4
                real_server 10.0.0.2 443 {
                    connect_timeout 2
                    delay_before_retry 5
                    PATH_CHECK {
                        retry 0
                    }
                }
            }
            """);
        assertEquals(List.of(new PathCheck(FILE, 11, RS, ForwardingMethod.DR, List.of(address("10.0.0.1", 443)),
            2_000, new CheckTiming(0, 5_000, 7_000, 7_000, false))), checks(config));
    }

    @Test
    void tunRealServerIsProbedThroughTheTunnel() throws ConfigException
    {
        final DirectorConfig config = parse(service("""
                real_server 10.0.0.2 80 {
                    lvs_method TUN
                    PATH_CHECK {
                    }
                }
            """));
        assertEquals(ForwardingMethod.TUN, ((PathCheck)checks(config).get(0)).method());
    }

    @Test
    void groupServiceIsProbedOnceOnEachDistinctVip() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server_group pool {
                10.0.0.10 80
                10.0.0.10 443
                10.0.0.11-12 443
            }
            virtual_server group pool {
                lb_algo rr
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 80 {
                    PATH_CHECK {
                    }
                }
            }
            """);
        assertEquals(List.of(address("10.0.0.10", 80), address("10.0.0.11", 443), address("10.0.0.12", 443)),
            ((PathCheck)checks(config).get(0)).targets());
    }

    @Test
    void connectPortAppliesToEveryVip() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server_group pool {
                10.0.0.10 80
                10.0.0.11 443
            }
            virtual_server group pool {
                lb_algo rr
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 80 {
                    PATH_CHECK {
                        connect_port 22
                    }
                }
            }
            """);
        assertEquals(List.of(address("10.0.0.10", 22), address("10.0.0.11", 22)),
            ((PathCheck)checks(config).get(0)).targets());
    }

    @Test
    void portZeroServiceIsProbedOnTheRealServerPort() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server 10.0.0.1 0 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                persistence_timeout 60
                real_server 10.0.0.2 25 {
                    PATH_CHECK {
                    }
                }
            }
            """);
        assertEquals(List.of(address("10.0.0.1", 25)), ((PathCheck)checks(config).get(0)).targets());
    }

    @Test
    void portZeroServiceAndPortlessRealServerNeedConnectPort()
    {
        assertEquals(FILE + ":7:9: expected connect_port in this PATH_CHECK, found none (the service serves every " +
            "port of 10.0.0.1 and real_server 10.0.0.2 has no port)", error("""
            virtual_server 10.0.0.1 0 {
                lb_algo rr
                lb_kind DR
                protocol TCP
                persistence_timeout 60
                real_server 10.0.0.2 {
                    PATH_CHECK {
                    }
                }
            }
            """));
    }

    @Test
    void keywordsThatMoveTheProbeOffThePathAreRefused()
    {
        final String expected = "expected connect_port, connect_timeout, retry, nb_get_retry, delay_before_retry, " +
            "delay_loop, warmup or alpha in PATH_CHECK, found '%s' (its probe always goes from the director's own " +
            "address to the VIPs, through this real server)";
        assertEquals(FILE + ":7:13: " + String.format(expected, "connect_ip"),
            error(service(pathCheck("connect_ip 10.0.0.9"))));
        assertEquals(FILE + ":7:13: " + String.format(expected, "bindto"),
            error(service(pathCheck("bindto 10.0.0.3"))));
        assertEquals(FILE + ":7:13: " + String.format(expected, "bind_port"),
            error(service(pathCheck("bind_port 5000"))));
        assertEquals(FILE + ":7:13: " + String.format(expected, "bind_if"),
            error(service(pathCheck("bind_if eth1"))));
        assertEquals(FILE + ":7:13: " + String.format(expected, "fwmark"),
            error(service(pathCheck("fwmark 7"))));
    }

    @Test
    void badValuesNameWhatWasExpected()
    {
        assertEquals(FILE + ":7:26: expected a port 0..65535, found '70000'",
            error(service(pathCheck("connect_port 70000"))));
        assertEquals(FILE + ":7:29: expected a connect timeout in seconds (such as 3 or 2.5), found 'soon'",
            error(service(pathCheck("connect_timeout soon"))));
        assertEquals(FILE + ":7:19: expected a retry count 0..2147483647, found '-1'",
            error(service(pathCheck("retry -1"))));
        assertEquals(FILE + ":7:23: expected a delay loop after 'delay_loop', found end of line",
            error(service(pathCheck("delay_loop"))));
    }

    @Test
    void unknownKeywordIsIgnoredWithAWarning() throws ConfigException
    {
        final DirectorConfig config = parse(service(pathCheck("misc_path /bin/true")));
        assertEquals(List.of(new ConfigWarning(FILE, 7, 13, "unknown keyword 'misc_path' in PATH_CHECK is ignored")),
            config.warnings());
        assertEquals(1, checks(config).size());
    }

    @Test
    void moreVipsThanOneAttemptProbesAreCutWithAWarning() throws ConfigException
    {
        final DirectorConfig config = parse("""
            virtual_server_group pool {
                10.0.1.0/25 80
            }
            virtual_server group pool {
                lb_algo rr
                lb_kind DR
                protocol TCP
                real_server 10.0.0.2 80 {
                    PATH_CHECK {
                    }
                }
            }
            """);
        assertEquals(List.of(new ConfigWarning(FILE, 9, 9, "PATH_CHECK probes the first 64 of the service's 128 " +
            "VIPs only")), config.warnings());
        final List<VirtualAddress> expected = new ArrayList<>();
        for (int i = 0; i < PathCheck.MAX_TARGETS; i++)
        {
            expected.add(new VirtualAddress(Ipv4.parse("10.0.1.0") + i, 80));
        }
        assertEquals(expected, ((PathCheck)checks(config).get(0)).targets());
    }

    @Test
    void sampleWithDrAndTunPathChecksParses() throws ConfigException
    {
        final DirectorConfig config = Fixtures.parse("dr-path-check.conf");
        final String file = Fixtures.path("dr-path-check.conf").toString();
        assertEquals(List.of(), config.warnings());
        final List<RealServerConfig> servers = config.services().get(0).realServers();
        final List<VirtualAddress> vip = List.of(address("192.168.40.100", 443));
        assertEquals(List.of(
            new TcpCheck(file, 11, new CheckConnection(Ipv4.parse("192.168.40.11"), 443, 0, 0, 2_000),
                new CheckTiming(1, 1_000, 5_000, 5_000, false)),
            new PathCheck(file, 14, Ipv4.parse("192.168.40.11"), ForwardingMethod.DR, vip, 2_000,
                new CheckTiming(2, 1_000, 5_000, 5_000, false))), servers.get(0).checks());
        assertEquals(List.of(
            new PathCheck(file, 24, Ipv4.parse("198.51.100.41"), ForwardingMethod.TUN, vip, 4_000,
                new CheckTiming(1, 1_000, 10_000, 0, false))), servers.get(1).checks());
    }

    @Test
    void targetsMustBeOneToSixtyFour()
    {
        final CheckTiming timing = new CheckTiming(1, 1_000, 1_000, 0, false);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new PathCheck(FILE, 1, RS, ForwardingMethod.DR, List.of(), 1_000, timing));
        assertEquals("targets must hold 1..64 VIP:port pairs, targets=0", ex.getMessage());
    }

    /** A real server 10.0.0.2:80 whose PATH_CHECK holds {@code line} at line 7, column 13. */
    private static String pathCheck(final String line)
    {
        return "        real_server 10.0.0.2 80 {\n            PATH_CHECK {\n" +
            "            " + line + "\n            }\n        }\n";
    }

    /** A valid TCP DR service on 10.0.0.1:80 whose block ends with {@code body} (from line 5 on). */
    private static String service(final String body)
    {
        return "virtual_server 10.0.0.1 80 {\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n" + body + "}\n";
    }

    private static List<HealthCheckConfig> checks(final DirectorConfig config)
    {
        return config.services().get(0).realServers().get(0).checks();
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
