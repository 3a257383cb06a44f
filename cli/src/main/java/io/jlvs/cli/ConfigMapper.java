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
     *              Health checkers, the sorry server and quorum are not among them: {@code run} hands the services
     *              to the health monitor, which applies them.
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
            if (service.onePacketScheduling())
            {
                notes.add(where(service) + "ops (one-packet scheduling) is not implemented yet; ignored");
            }
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
        // Every real_server, in file order, as if all were up: the health monitor takes out the ones that fail their
        // checks and brings in the sorry_server when the quorum is lost.
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
            servers,
            service.excludedSourceMacs());
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

    private static String where(final VirtualServiceConfig service)
    {
        return service.file() + ':' + service.line() + ':' + SERVICE_COLUMN + ": virtual_server " +
            service.displayName() + ": ";
    }
}
