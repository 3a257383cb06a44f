package io.jlvs.healthcheck;

import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One virtual service as configured: the spec the director would run with every real server up (what the CLI's
 * {@code ConfigMapper.toSpec} makes), and the keepalived model it came from, whose real servers carry the checkers,
 * notify scripts and inhibit flags, and whose service carries quorum, hysteresis, sorry server, alpha and omega.
 * <p>
 * The spec's real servers are the config's, in the same order.
 */
public record MonitoredService(VirtualServiceSpec spec, VirtualServiceConfig config)
{
    public MonitoredService
    {
        final List<RealServerSpec> specServers = spec.realServers();
        final List<RealServerConfig> configServers = config.realServers();
        if (specServers.size() != configServers.size())
        {
            throw new IllegalArgumentException("virtual service " + config.displayName() + ": the spec has " +
                specServers.size() + " real servers, the configuration " + configServers.size());
        }
        for (int i = 0; i < specServers.size(); i++)
        {
            final RealServerSpec server = specServers.get(i);
            final RealServerConfig configured = configServers.get(i);
            if (server.address() != configured.address() || server.port() != configured.port())
            {
                throw new IllegalArgumentException("virtual service " + config.displayName() + ": real server " +
                    (i + 1) + " is " + server + " in the spec but " + configured.endpoint() + " in the configuration");
            }
        }
    }

    /**
     * Pairs services and their specs, both in file order (as {@code ConfigMapper.map} returns them).
     *
     * @throws IllegalArgumentException when the lists do not match one to one.
     */
    public static List<MonitoredService> pair(
        final List<VirtualServiceConfig> configs, final List<VirtualServiceSpec> specs)
    {
        if (configs.size() != specs.size())
        {
            throw new IllegalArgumentException(configs.size() + " services configured but " + specs.size() +
                " specs given");
        }
        final List<MonitoredService> services = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++)
        {
            services.add(new MonitoredService(specs.get(i), configs.get(i)));
        }
        return services;
    }

    /**
     * What identifies the service across a reload, as keepalived's {@code vs_iseq}: the fwmark, else the group and
     * protocol, else protocol and address.
     */
    String key()
    {
        if (config.fwmark() != null)
        {
            return "FWM " + config.fwmark();
        }
        if (config.groupName() != null)
        {
            return "group " + config.groupName() + ' ' + config.protocol();
        }
        return config.protocol() + " " + config.addresses().get(0);
    }
}
