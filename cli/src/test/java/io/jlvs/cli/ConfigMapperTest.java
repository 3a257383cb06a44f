package io.jlvs.cli;

import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.config.Protocol;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigMapperTest
{
    private static final String FILE = "keepalived.conf";

    @Test
    void mapsDrServiceToRouteWithItsAddressSchedulerAndWeightedServers() throws ConfigException
    {
        final ConfigMapper.Mapping mapping = map(
            "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo wrr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "        weight 3\n" +
            "    }\n" +
            "    real_server 198.18.0.102 80 {\n" +
            "        weight 2\n" +
            "        uthreshold 100\n" +
            "        lthreshold 50\n" +
            "    }\n" +
            "}\n");

        assertEquals(1, mapping.specs().size());
        final VirtualServiceSpec spec = mapping.specs().get(0);
        assertEquals(VirtualServiceSpec.TCP, spec.protocol());
        assertEquals(List.of(new VirtualAddress(Ipv4.parse("198.18.0.100"), 80)), spec.addresses());
        assertEquals(0, spec.fwmark());
        assertEquals("wrr", spec.scheduler());
        assertEquals(0, spec.persistenceTimeoutSeconds());
        assertEquals(List.of(
            new RealServerSpec(Ipv4.parse("198.18.0.101"), 80, 3, 0, 0, ForwardingMethod.ROUTE),
            new RealServerSpec(Ipv4.parse("198.18.0.102"), 80, 2, 100, 50, ForwardingMethod.ROUTE)),
            spec.realServers());
        assertEquals(List.of(), mapping.notes());
    }

    @Test
    void mapsPersistenceTimeoutAndGranularityToTimeoutAndNetmask() throws ConfigException
    {
        final VirtualServiceSpec spec = map(
            "virtual_server 198.18.0.100 443 {\n" +
            "    lb_algo rr\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    persistence_timeout 300\n" +
            "    persistence_granularity 255.255.255.0\n" +
            "    real_server 198.18.0.101 443 {\n" +
            "    }\n" +
            "}\n").specs().get(0);

        assertEquals(300, spec.persistenceTimeoutSeconds());
        assertEquals(Ipv4.parse("255.255.255.0"), spec.persistenceNetmask());
    }

    @Test
    void persistenceWithoutGranularityIsPerClientAddress() throws ConfigException
    {
        final VirtualServiceSpec spec = map(
            "virtual_server 198.18.0.100 53 {\n" +
            "    lb_algo wlc\n" +
            "    lb_kind DR\n" +
            "    protocol UDP\n" +
            "    persistence_timeout 50\n" +
            "    real_server 198.18.0.101 53 {\n" +
            "    }\n" +
            "}\n").specs().get(0);

        assertEquals(VirtualServiceSpec.UDP, spec.protocol());
        assertEquals(50, spec.persistenceTimeoutSeconds());
        assertEquals(VirtualServiceSpec.HOST_NETMASK, spec.persistenceNetmask());
    }

    @Test
    void mapsLbKindTunToTunnelPerServer() throws ConfigException
    {
        final VirtualServiceSpec spec = ConfigMapper.toSpec(KeepalivedConfig.parse(fixture("tun.conf"), FILE)
            .services().get(0));

        assertEquals(2, spec.realServers().size());
        for (final RealServerSpec server : spec.realServers())
        {
            assertEquals(ForwardingMethod.TUNNEL, server.method(), server.toString());
        }
        assertEquals(ForwardingMethod.TUNNEL, ConfigMapper.method(io.jlvs.config.ForwardingMethod.TUN));
        assertEquals(ForwardingMethod.ROUTE, ConfigMapper.method(io.jlvs.config.ForwardingMethod.DR));
    }

    @Test
    void carriesSchedulerFlagsOfTheHashingSchedulers() throws ConfigException
    {
        final VirtualServiceSpec spec = ConfigMapper.toSpec(KeepalivedConfig.parse(
            "virtual_server 198.18.0.100 80 {\n" +
            "    lb_algo sh\n" +
            "    lb_kind DR\n" +
            "    protocol TCP\n" +
            "    sh-port\n" +
            "    real_server 198.18.0.101 80 {\n" +
            "    }\n" +
            "}\n", FILE).services().get(0));

        assertEquals("sh", spec.scheduler());
        assertTrue(spec.schedulerFlags().has(SchedulerFlags.SH_PORT), "sh-port");
        assertTrue(!spec.schedulerFlags().has(SchedulerFlags.SH_FALLBACK), "no sh-fallback");
    }

    @Test
    void fwmarkServiceAnswersOnEveryMatchedAddressAndExcludesThePeerDirectorsMac() throws ConfigException
    {
        final ConfigMapper.Mapping mapping = map(fixture("fwmark-wrr.conf"));

        final VirtualServiceSpec spec = mapping.specs().get(0);
        assertEquals(1, spec.fwmark());
        assertEquals(List.of(new VirtualAddress(Ipv4.parse("192.168.20.100"), 80),
            new VirtualAddress(Ipv4.parse("192.168.20.100"), 443)), spec.addresses());
        assertEquals(600, spec.persistenceTimeoutSeconds());
        assertEquals(List.of(0x52_54_00_aa_bb_02L), spec.excludedSourceMacs());
        assertEquals(List.of(), mapping.notes());
    }

    @Test
    void serversWithHealthCheckersAreAllMappedAndLeftToTheHealthMonitorWithoutANote() throws ConfigException
    {
        final ConfigMapper.Mapping mapping = map(fixture("dr-tcp-check.conf"));

        assertEquals(List.of(), mapping.notes());
        assertEquals(3, mapping.specs().get(0).realServers().size());
    }

    @Test
    void aServiceTheDirectorWouldRefuseIsAConfigErrorAtItsLine()
    {
        // The parser already refuses what it knows to be wrong; this is the net for what only the director knows.
        final DirectorConfig config = new DirectorConfig(List.of(
            service(2, "198.18.0.100", 80, "rr"),
            service(9, "198.18.0.100", 81, "no-such-scheduler")), List.of());

        final ConfigException error = assertThrows(ConfigException.class, () -> ConfigMapper.map(config));

        assertEquals(FILE, error.file());
        assertEquals(9, error.line());
        assertTrue(error.getMessage().startsWith(FILE + ":9:1: virtual_server 198.18.0.100:81 TCP: "),
            error.getMessage());
        assertTrue(error.getMessage().contains("'no-such-scheduler'"), error.getMessage());
    }

    @Test
    void twoServicesOnOneAddressAreAConfigErrorNamingBoth()
    {
        final DirectorConfig config = new DirectorConfig(List.of(
            service(2, "198.18.0.100", 80, "rr"),
            service(9, "198.18.0.100", 80, "wrr")), List.of());

        final ConfigException error = assertThrows(ConfigException.class, () -> ConfigMapper.map(config));

        assertTrue(error.getMessage().startsWith(FILE + ": "), error.getMessage());
        assertTrue(error.getMessage().contains("198.18.0.100:80 rr") &&
            error.getMessage().contains("198.18.0.100:80 wrr"), error.getMessage());
    }

    private static VirtualServiceConfig service(final int line, final String vip, final int port, final String scheduler)
    {
        final RealServerConfig server = new RealServerConfig(FILE, line + 1, Ipv4.parse("198.18.0.101"), port, 1, 0, 0,
            io.jlvs.config.ForwardingMethod.DR, List.of(), null, null);
        return new VirtualServiceConfig(FILE, line, Protocol.TCP,
            List.of(new io.jlvs.config.VirtualAddress(Ipv4.parse(vip), port)), null, null, scheduler, "",
            io.jlvs.config.ForwardingMethod.DR, 0, VirtualServiceSpec.HOST_NETMASK, 0, null, false, 1, 0, false, false,
            List.of(server), List.of(), false, null, null);
    }

    private static ConfigMapper.Mapping map(final String text) throws ConfigException
    {
        return ConfigMapper.map(KeepalivedConfig.parse(text, FILE));
    }

    private static String fixture(final String name)
    {
        final String resource = "/io/jlvs/fixtures/keepalived/" + name;
        try (InputStream in = ConfigMapperTest.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing test fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
