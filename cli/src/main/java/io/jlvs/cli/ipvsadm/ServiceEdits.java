package io.jlvs.cli.ipvsadm;

import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.config.Protocol;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies one ipvsadm edit to the list of services a director is asked to run and returns the new list, leaving the
 * given one as it was. Errors are ipvsadm's ({@code Service already exists}, {@code No such destination}, ...).
 * <p>
 * Services and servers added here carry no health checks: they are up until removed, as what ipvsadm adds is. A
 * server of the configuration file that is edited keeps its checks. A service with several VIP:port pairs (a
 * keepalived group, or a fwmark service) is one service: naming any of its pairs with {@code -t}/{@code -u} edits all
 * of it, except {@code -D}, which removes only the pair named, as deleting that one IPVS service would.
 */
public final class ServiceEdits
{
    /** Where a service or server added at run time says it came from, in messages and the health monitor's logs. */
    public static final String RUNTIME = "(runtime edit)";
    /** keepalived's defaults for what ipvsadm has no word for. */
    private static final int DEFAULT_QUORUM = 1;
    private static final int NO_DELAY_LOOP = 0;

    private ServiceEdits()
    {
    }

    /**
     * @throws IllegalArgumentException when the command cannot apply ({@code -A} of a service that exists, {@code -e}
     *                                  of a server that does not, a fwmark service to create, {@code -Z}).
     */
    public static List<MonitoredService> apply(final List<MonitoredService> services, final IpvsadmCommand command)
    {
        switch (command.verb())
        {
            case CLEAR:
                return List.of();
            case ADD_SERVICE:
                return addService(services, command);
            case EDIT_SERVICE:
                return replace(services, find(services, command.service()), editService(
                    services.get(find(services, command.service())), command));
            case DELETE_SERVICE:
                return deleteService(services, command.service());
            case ADD_SERVER:
                return addServer(services, command);
            case EDIT_SERVER:
                return editServer(services, command);
            case DELETE_SERVER:
                return deleteServer(services, command);
            default:
                throw new IllegalArgumentException(command.verb().flag() + " does not change the services");
        }
    }

    private static List<MonitoredService> addService(
        final List<MonitoredService> services, final IpvsadmCommand command)
    {
        final ServiceAddress address = command.service();
        if (indexOf(services, address) >= 0)
        {
            throw new IllegalArgumentException("Service already exists: " + address);
        }
        final VirtualAddress pair = new VirtualAddress(address.address(), address.port());
        for (final MonitoredService service : services)
        {
            final VirtualServiceSpec spec = service.spec();
            if (!address.isFwmark() && spec.protocol() == address.protocol() && spec.addresses().contains(pair))
            {
                // A fwmark service of the file answers on this pair already: the director would refuse both.
                throw new IllegalArgumentException(address + " is already served by " + spec);
            }
        }
        if (address.isFwmark())
        {
            throw new IllegalArgumentException("jlvs has no netfilter marks: a fwmark service is a 'virtual_server " +
                "fwmark N' block of keepalived.conf with the VIP:port pairs the mark stood for (jlvs_match), " +
                "and cannot be created at run time");
        }
        final VirtualServiceSpec spec = new VirtualServiceSpec(address.protocol(), List.of(pair), 0, command.scheduler(),
            new SchedulerFlags(command.schedulerFlags()), command.persistenceTimeoutSeconds(),
            command.persistenceNetmask(), List.of());
        final VirtualServiceConfig config = new VirtualServiceConfig(RUNTIME, 0, protocol(address.protocol()),
            List.of(new io.jlvs.config.VirtualAddress(address.address(), address.port())), null, null,
            command.scheduler(), flagNames(command), io.jlvs.config.ForwardingMethod.DR,
            command.persistenceTimeoutSeconds(), command.persistenceNetmask(), NO_DELAY_LOOP, null, false,
            DEFAULT_QUORUM, 0, false, false, List.of(), List.of(), false, null, null);
        final List<MonitoredService> result = new ArrayList<>(services);
        result.add(new MonitoredService(spec, config));
        return result;
    }

    /** {@code -E}: scheduler, flags and persistence as the command says (defaults for what it leaves out). */
    private static MonitoredService editService(final MonitoredService service, final IpvsadmCommand command)
    {
        final VirtualServiceSpec old = service.spec();
        final VirtualServiceSpec spec = new VirtualServiceSpec(old.protocol(), old.addresses(), old.fwmark(),
            command.scheduler(), new SchedulerFlags(command.schedulerFlags()), command.persistenceTimeoutSeconds(),
            command.persistenceNetmask(), old.realServers(), old.excludedSourceMacs());
        final VirtualServiceConfig c = service.config();
        final VirtualServiceConfig config = new VirtualServiceConfig(c.file(), c.line(), c.protocol(), c.addresses(),
            c.fwmark(), c.groupName(), command.scheduler(), flagNames(command), c.method(),
            command.persistenceTimeoutSeconds(), command.persistenceNetmask(), c.delayLoopSeconds(), c.sorryServer(),
            c.inhibitOnFailure(), c.quorum(), c.hysteresis(), c.alpha(), c.omega(), c.realServers(),
            c.excludedSourceMacs(), c.onePacketScheduling(), c.quorumUp(), c.quorumDown());
        return new MonitoredService(spec, config);
    }

    private static List<MonitoredService> deleteService(
        final List<MonitoredService> services, final ServiceAddress address)
    {
        final int index = find(services, address);
        final MonitoredService service = services.get(index);
        if (address.isFwmark() || service.spec().addresses().size() == 1)
        {
            final List<MonitoredService> result = new ArrayList<>(services);
            result.remove(index);
            return result;
        }
        // One pair of a group: the others stay, as the other IPVS services of the group would.
        final VirtualAddress gone = new VirtualAddress(address.address(), address.port());
        final List<VirtualAddress> addresses = new ArrayList<>(service.spec().addresses());
        addresses.remove(gone);
        final List<io.jlvs.config.VirtualAddress> configured = new ArrayList<>();
        for (final io.jlvs.config.VirtualAddress a : service.config().addresses())
        {
            if (a.address() != gone.address() || a.port() != gone.port())
            {
                configured.add(a);
            }
        }
        final VirtualServiceSpec old = service.spec();
        final VirtualServiceConfig c = service.config();
        final VirtualServiceSpec spec = new VirtualServiceSpec(old.protocol(), addresses, old.fwmark(),
            old.scheduler(), old.schedulerFlags(), old.persistenceTimeoutSeconds(), old.persistenceNetmask(),
            old.realServers(), old.excludedSourceMacs());
        final VirtualServiceConfig config = new VirtualServiceConfig(c.file(), c.line(), c.protocol(), configured,
            c.fwmark(), c.groupName(), c.scheduler(), c.schedulerFlags(), c.method(), c.persistenceTimeoutSeconds(),
            c.persistenceNetmask(), c.delayLoopSeconds(), c.sorryServer(), c.inhibitOnFailure(), c.quorum(),
            c.hysteresis(), c.alpha(), c.omega(), c.realServers(), c.excludedSourceMacs(), c.onePacketScheduling(),
            c.quorumUp(), c.quorumDown());
        return replace(services, index, new MonitoredService(spec, config));
    }

    private static List<MonitoredService> addServer(
        final List<MonitoredService> services, final IpvsadmCommand command)
    {
        final int index = find(services, command.service());
        final MonitoredService service = services.get(index);
        if (serverIndex(service, command) >= 0)
        {
            throw new IllegalArgumentException("Destination already exists: " + server(command) + " in " +
                command.service());
        }
        final List<RealServerSpec> specs = new ArrayList<>(service.spec().realServers());
        specs.add(spec(command));
        final List<RealServerConfig> configs = new ArrayList<>(service.config().realServers());
        configs.add(new RealServerConfig(RUNTIME, 0, command.serverAddress(), command.serverPort(), command.weight(),
            command.upperThreshold(), command.lowerThreshold(), method(command.method()), List.of(), null, null,
            false));
        return replace(services, index, withServers(service, specs, configs));
    }

    /** {@code -e}: weight, thresholds and method as the command says; the server's health checks stay. */
    private static List<MonitoredService> editServer(
        final List<MonitoredService> services, final IpvsadmCommand command)
    {
        final int index = find(services, command.service());
        final MonitoredService service = services.get(index);
        final int server = existingServer(service, command);
        final List<RealServerSpec> specs = new ArrayList<>(service.spec().realServers());
        final RealServerSpec old = specs.get(server);
        specs.set(server, new RealServerSpec(old.address(), old.port(), command.weight(), command.upperThreshold(),
            command.lowerThreshold(), command.method()));
        final List<RealServerConfig> configs = new ArrayList<>(service.config().realServers());
        final RealServerConfig c = configs.get(server);
        configs.set(server, new RealServerConfig(c.file(), c.line(), c.address(), c.port(), command.weight(),
            command.upperThreshold(), command.lowerThreshold(), method(command.method()), c.checks(), c.notifyUp(),
            c.notifyDown(), c.inhibitOnFailure()));
        return replace(services, index, withServers(service, specs, configs));
    }

    private static List<MonitoredService> deleteServer(
        final List<MonitoredService> services, final IpvsadmCommand command)
    {
        final int index = find(services, command.service());
        final MonitoredService service = services.get(index);
        final int server = existingServer(service, command);
        final List<RealServerSpec> specs = new ArrayList<>(service.spec().realServers());
        specs.remove(server);
        final List<RealServerConfig> configs = new ArrayList<>(service.config().realServers());
        configs.remove(server);
        return replace(services, index, withServers(service, specs, configs));
    }

    private static MonitoredService withServers(
        final MonitoredService service, final List<RealServerSpec> specs, final List<RealServerConfig> configs)
    {
        final VirtualServiceSpec old = service.spec();
        final VirtualServiceConfig c = service.config();
        return new MonitoredService(
            new VirtualServiceSpec(old.protocol(), old.addresses(), old.fwmark(), old.scheduler(),
                old.schedulerFlags(), old.persistenceTimeoutSeconds(), old.persistenceNetmask(), specs,
                old.excludedSourceMacs()),
            new VirtualServiceConfig(c.file(), c.line(), c.protocol(), c.addresses(), c.fwmark(), c.groupName(),
                c.scheduler(), c.schedulerFlags(), c.method(), c.persistenceTimeoutSeconds(), c.persistenceNetmask(),
                c.delayLoopSeconds(), c.sorryServer(), c.inhibitOnFailure(), c.quorum(), c.hysteresis(), c.alpha(),
                c.omega(), configs, c.excludedSourceMacs(), c.onePacketScheduling(), c.quorumUp(), c.quorumDown()));
    }

    private static RealServerSpec spec(final IpvsadmCommand command)
    {
        return new RealServerSpec(command.serverAddress(), command.serverPort(), command.weight(),
            command.upperThreshold(), command.lowerThreshold(), command.method());
    }

    private static int existingServer(final MonitoredService service, final IpvsadmCommand command)
    {
        final int server = serverIndex(service, command);
        if (server < 0)
        {
            throw new IllegalArgumentException("No such destination: " + server(command) + " in " +
                command.service());
        }
        return server;
    }

    /** The server of {@code service} the command names: same address and port. */
    private static int serverIndex(final MonitoredService service, final IpvsadmCommand command)
    {
        final List<RealServerSpec> servers = service.spec().realServers();
        for (int i = 0; i < servers.size(); i++)
        {
            final RealServerSpec server = servers.get(i);
            // A configured port 0 ("the port the client asked for") is the service's port in DR and TUN.
            if (server.address() == command.serverAddress() &&
                (server.port() == command.serverPort() || server.port() == 0))
            {
                return i;
            }
        }
        return -1;
    }

    private static int find(final List<MonitoredService> services, final ServiceAddress address)
    {
        final int index = indexOf(services, address);
        if (index < 0)
        {
            throw new IllegalArgumentException("No such service: " + address);
        }
        return index;
    }

    private static int indexOf(final List<MonitoredService> services, final ServiceAddress address)
    {
        for (int i = 0; i < services.size(); i++)
        {
            if (address.matches(services.get(i).spec()))
            {
                return i;
            }
        }
        return -1;
    }

    private static List<MonitoredService> replace(
        final List<MonitoredService> services, final int index, final MonitoredService service)
    {
        final List<MonitoredService> result = new ArrayList<>(services);
        result.set(index, service);
        return result;
    }

    private static String server(final IpvsadmCommand command)
    {
        return Ipv4.toString(command.serverAddress()) + ':' + command.serverPort();
    }

    private static Protocol protocol(final int ipProtocol)
    {
        return ipProtocol == VirtualServiceSpec.UDP ? Protocol.UDP : Protocol.TCP;
    }

    private static io.jlvs.config.ForwardingMethod method(final ForwardingMethod method)
    {
        return method == ForwardingMethod.TUNNEL ? io.jlvs.config.ForwardingMethod.TUN :
            io.jlvs.config.ForwardingMethod.DR;
    }

    /** The keepalived spelling of a command's scheduler flags, for the configuration model. */
    private static String flagNames(final IpvsadmCommand command)
    {
        return IpvsadmFormat.schedulerFlagNames(command.scheduler(), command.schedulerFlags());
    }
}
