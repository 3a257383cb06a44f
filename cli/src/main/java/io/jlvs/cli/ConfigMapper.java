package io.jlvs.cli;

import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.SchedulerFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what keepalived.conf says ({@link DirectorConfig}) into what the director runs ({@link VirtualServiceSpec}s),
 * and checks the result the way the director will, so that a file the director would refuse is reported with the
 * file and line of the {@code virtual_server} at fault before anything starts.
 */
public final class ConfigMapper
{
    /** Errors found after parsing point at the start of the offending {@code virtual_server} line. */
    private static final int SERVICE_COLUMN = 1;

    private ConfigMapper()
    {
    }

    /**
     * The services of a configuration, and what jlvs noticed but does not act on.
     *
     * @param specs the services, in file order.
     * @param notes one line each, for the operator: keepalived settings this jlvs version accepts but ignores.
     */
    public record Mapping(List<VirtualServiceSpec> specs, List<String> notes)
    {
        public Mapping
        {
            specs = List.copyOf(specs);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Maps every virtual server and checks the set as the director will.
     *
     * @throws ConfigException naming the file and line of the virtual server the director would refuse.
     */
    public static Mapping map(final DirectorConfig config) throws ConfigException
    {
        final List<VirtualServiceSpec> specs = new ArrayList<>(config.services().size());
        final List<String> notes = new ArrayList<>();
        boolean checksIgnored = false;
        for (final VirtualServiceConfig service : config.services())
        {
            final VirtualServiceSpec spec;
            try
            {
                spec = toSpec(service);
                // One at a time first, so that the error names the right virtual_server.
                new ServiceTableBuilder().build(List.of(spec), ServiceTable.EMPTY);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(service.file(), service.line(), SERVICE_COLUMN,
                    "virtual_server " + service.displayName() + ": " + ex.getMessage());
            }
            specs.add(spec);
            checksIgnored |= hasChecks(service);
            if (service.onePacketScheduling())
            {
                notes.add(where(service) + "ops (one-packet scheduling) is not implemented yet; ignored");
            }
            if (!service.excludedSourceMacs().isEmpty())
            {
                notes.add(where(service) + "jlvs_exclude_source_mac is not applied by the dataplane yet; ignored");
            }
        }
        if (checksIgnored)
        {
            notes.add("health checkers are not run by this jlvs version: every real_server is taken as up");
        }
        try
        {
            // Then all together: the same VIP:port twice is only visible across services.
            new ServiceTableBuilder().build(specs, ServiceTable.EMPTY);
        }
        catch (final IllegalArgumentException ex)
        {
            // Only a clash between services gets here; the message names both of them.
            throw new ConfigException(config.services().get(0).file(), 0, 0, ex.getMessage());
        }
        return new Mapping(specs, notes);
    }

    /** One {@code virtual_server} as the director's spec. */
    public static VirtualServiceSpec toSpec(final VirtualServiceConfig service)
    {
        final List<VirtualAddress> addresses = new ArrayList<>(service.addresses().size());
        for (final io.jlvs.config.VirtualAddress address : service.addresses())
        {
            addresses.add(new VirtualAddress(address.address(), address.port()));
        }
        // The sorry_server stands in only when health checks take the live weight below the quorum, which needs
        // the checkers; until they run, every real_server counts as up and the sorry_server stays out.
        final List<RealServerSpec> servers = new ArrayList<>(service.realServers().size());
        for (final RealServerConfig server : service.realServers())
        {
            servers.add(new RealServerSpec(server.address(), server.port(), server.weight(), server.upperThreshold(),
                server.lowerThreshold(), method(server.method() != null ? server.method() : service.method())));
        }
        return new VirtualServiceSpec(
            service.protocol().ipProtocol(),
            addresses,
            service.fwmark() != null ? service.fwmark() : 0,
            service.scheduler(),
            SchedulerFlags.parse(service.schedulerFlags()),
            service.persistenceTimeoutSeconds(),
            service.persistenceNetmask(),
            servers);
    }

    /** keepalived's {@code lb_kind} word to ipvsadm's forwarding method. */
    public static ForwardingMethod method(final io.jlvs.config.ForwardingMethod method)
    {
        if (method == null)
        {
            // keepalived's default lb_kind is NAT, which jlvs refuses while parsing; DR is what a file without
            // lb_kind can mean here.
            return ForwardingMethod.ROUTE;
        }
        switch (method)
        {
            case DR: return ForwardingMethod.ROUTE;
            case TUN: return ForwardingMethod.TUNNEL;
            default: throw new IllegalArgumentException("unknown forwarding method " + method);
        }
    }

    private static boolean hasChecks(final VirtualServiceConfig service)
    {
        for (final RealServerConfig server : service.realServers())
        {
            if (!server.checks().isEmpty())
            {
                return true;
            }
        }
        return false;
    }

    private static String where(final VirtualServiceConfig service)
    {
        return service.file() + ':' + service.line() + ':' + SERVICE_COLUMN + ": virtual_server " +
            service.displayName() + ": ";
    }
}
