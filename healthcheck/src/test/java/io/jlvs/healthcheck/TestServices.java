package io.jlvs.healthcheck;

import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.SchedulerFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived.conf text to {@link MonitoredService}s, with the spec made the way the CLI's {@code ConfigMapper.toSpec}
 * makes it (this module cannot depend on the CLI), and effective specs back to short strings for assertions.
 */
final class TestServices
{
    private TestServices()
    {
    }

    static List<MonitoredService> parse(final String keepalivedConf)
    {
        final DirectorConfig config;
        try
        {
            config = KeepalivedConfig.parse(keepalivedConf, "test.conf");
        }
        catch (final ConfigException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        final List<VirtualServiceSpec> specs = new ArrayList<>();
        for (final VirtualServiceConfig service : config.services())
        {
            specs.add(toSpec(service));
        }
        return MonitoredService.pair(config.services(), specs);
    }

    static VirtualServiceSpec toSpec(final VirtualServiceConfig service)
    {
        final List<VirtualAddress> addresses = new ArrayList<>();
        for (final io.jlvs.config.VirtualAddress address : service.addresses())
        {
            addresses.add(new VirtualAddress(address.address(), address.port()));
        }
        final List<RealServerSpec> servers = new ArrayList<>();
        for (final RealServerConfig server : service.realServers())
        {
            servers.add(new RealServerSpec(server.address(), server.port(), server.weight(), server.upperThreshold(),
                server.lowerThreshold(), ForwardingMethod.ROUTE));
        }
        return new VirtualServiceSpec(service.protocol().ipProtocol(), addresses,
            service.fwmark() != null ? service.fwmark() : 0, service.scheduler(),
            SchedulerFlags.parse(service.schedulerFlags()), service.persistenceTimeoutSeconds(),
            service.persistenceNetmask(), servers, service.excludedSourceMacs());
    }

    /** {@code ["10.0.0.2:80@1", "10.0.0.3:80@0"]}: a service's real servers as the director gets them. */
    static List<String> servers(final VirtualServiceSpec spec)
    {
        final List<String> servers = new ArrayList<>();
        for (final RealServerSpec server : spec.realServers())
        {
            servers.add(server + "@" + server.weight());
        }
        return servers;
    }
}
