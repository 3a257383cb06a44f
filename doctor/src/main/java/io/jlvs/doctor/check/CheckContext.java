package io.jlvs.doctor.check;

import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.HostView;
import io.jlvs.doctor.Reading;
import io.jlvs.doctor.Role;
import io.jlvs.doctor.firewall.Firewall;
import io.jlvs.doctor.firewall.IptablesSave;
import io.jlvs.doctor.firewall.NftRuleset;
import io.jlvs.doctor.host.IpAddress;
import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.doctor.host.Sysctls;
import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the checks of one diagnosis share: the role, the options, the host, and the host's text parsed once (links,
 * addresses, routes, firewall), each with the reason when it could not be read.
 */
public final class CheckContext
{
    /**
     * Stands for "a client on another network" when no client address is given: 203.0.113.1 from TEST-NET-3
     * (RFC 5737). It is only looked up in the routing table ({@code ip route get}), never sent anything.
     */
    public static final int REPRESENTATIVE_CLIENT = Ipv4.parse("203.0.113.1");

    private final Role role;
    private final DoctorOptions options;
    private final HostView host;
    private Known<List<IpLink>> links;
    private Known<List<IpAddress>> addresses;
    private FirewallView firewall;
    private Known<String> clientInterface;
    private final Map<Long, Known<RouteLookup>> routes = new HashMap<>();

    public CheckContext(final Role role, final DoctorOptions options, final HostView host)
    {
        this.role = role;
        this.options = options;
        this.host = host;
    }

    public Role role()
    {
        return role;
    }

    public DoctorOptions options()
    {
        return options;
    }

    public HostView host()
    {
        return host;
    }

    /** The interfaces ({@code ip -o link}). */
    public Known<List<IpLink>> links()
    {
        if (links == null)
        {
            final Reading reading = host.links();
            links = reading.isPresent() ? Known.of(IpLink.parse(reading.text())) :
                Known.unknown("cannot list interfaces (ip -o link: " + reading.text() + ")");
        }
        return links;
    }

    /** The interface called {@code name}, when the interfaces could be listed and it is among them. */
    public Optional<IpLink> link(final String name)
    {
        if (!links().isKnown())
        {
            return Optional.empty();
        }
        for (final IpLink link : links().value())
        {
            if (link.name().equals(name))
            {
                return Optional.of(link);
            }
        }
        return Optional.empty();
    }

    /** Names of all interfaces, comma separated, for messages. */
    public String linkNames()
    {
        final List<String> names = new ArrayList<>();
        if (links().isKnown())
        {
            for (final IpLink link : links().value())
            {
                names.add(link.name());
            }
        }
        return String.join(", ", names);
    }

    /** The IPv4 addresses ({@code ip -o addr}). */
    public Known<List<IpAddress>> addresses()
    {
        if (addresses == null)
        {
            final Reading reading = host.addresses();
            addresses = reading.isPresent() ? Known.of(IpAddress.parse(reading.text())) :
                Known.unknown("cannot list addresses (ip -o addr: " + reading.text() + ")");
        }
        return addresses;
    }

    /** Every configured address equal to {@code address}, on whichever interface (empty when unknown). */
    public List<IpAddress> addressesEqualTo(final int address)
    {
        final List<IpAddress> matching = new ArrayList<>();
        if (addresses().isKnown())
        {
            for (final IpAddress candidate : addresses().value())
            {
                if (candidate.address() == address)
                {
                    matching.add(candidate);
                }
            }
        }
        return matching;
    }

    /** The addresses of one interface (empty when unknown). */
    public List<IpAddress> addressesOf(final String interfaceName)
    {
        final List<IpAddress> matching = new ArrayList<>();
        if (addresses().isKnown())
        {
            for (final IpAddress candidate : addresses().value())
            {
                if (candidate.interfaceName().equals(interfaceName))
                {
                    matching.add(candidate);
                }
            }
        }
        return matching;
    }

    /** Whether {@code address} is configured on any interface of this host. */
    public boolean isOwnAddress(final int address)
    {
        return !addressesEqualTo(address).isEmpty();
    }

    /** {@code ip route get DESTINATION [from SOURCE]} (source 0: none), asked once per pair. */
    public Known<RouteLookup> route(final int destination, final int source)
    {
        final long key = (Integer.toUnsignedLong(destination) << Integer.SIZE) | Integer.toUnsignedLong(source);
        return routes.computeIfAbsent(key, ignored ->
        {
            final Reading reading = host.routeGet(destination, source);
            final String question = "ip route get " + Ipv4.toString(destination) +
                (source == 0 ? "" : " from " + Ipv4.toString(source));
            if (!reading.isPresent())
            {
                return Known.unknown(question + ": " + reading.text());
            }
            final Optional<RouteLookup> lookup = RouteLookup.parse(reading.text());
            return lookup.isPresent() ? Known.of(lookup.get()) :
                Known.unknown(question + " printed nothing readable: " + reading.text().strip());
        });
    }

    /** A sysctl as a number, by /proc/sys path; unknown (with why) when it is missing or not a number. */
    public Known<Integer> sysctlInt(final String path)
    {
        final Reading reading = host.sysctl(path);
        if (!reading.isPresent())
        {
            return Known.unknown("cannot read " + Sysctls.key(path) + " (" + reading.text() + ")");
        }
        try
        {
            return Known.of(Integer.parseInt(reading.text().trim()));
        }
        catch (final NumberFormatException ex)
        {
            return Known.unknown(Sysctls.key(path) + " is not a number: " + reading.text().trim());
        }
    }

    /** The client address the reply route is checked with: the one given, else {@link #REPRESENTATIVE_CLIENT}. */
    public int client()
    {
        final OptionalInt given = options.client();
        return given.isPresent() ? given.getAsInt() : REPRESENTATIVE_CLIENT;
    }

    public boolean clientGiven()
    {
        return options.client().isPresent();
    }

    /** {@code 198.18.0.10}, or {@code 203.0.113.1 (a client elsewhere)} when none was given. */
    public String clientText()
    {
        return Ipv4.toString(client()) + (clientGiven() ? "" : " (stands for a client elsewhere; --client names one)");
    }

    /**
     * Real server: the interface facing the director and the clients. The one given; else the one replies to the
     * client leave by; else the first Ethernet interface that is up. The problem says why none was found.
     */
    public Known<String> clientInterface()
    {
        if (clientInterface == null)
        {
            clientInterface = chooseClientInterface();
        }
        return clientInterface;
    }

    /** How {@link #clientInterface()} was chosen, for the interface finding. */
    public String clientInterfaceReason()
    {
        if (options.interfaceName().isPresent())
        {
            return "as given";
        }
        final Known<String> chosen = clientInterface();
        if (!chosen.isKnown())
        {
            return chosen.problem();
        }
        for (final int vip : options.vips())
        {
            final Known<RouteLookup> route = route(client(), vip);
            if (route.isKnown() && route.value().device().equals(chosen.value()))
            {
                return "replies to " + Ipv4.toString(client()) + " leave by it";
            }
        }
        return "chosen as the first Ethernet interface that is up; --interface names another";
    }

    private Known<String> chooseClientInterface()
    {
        if (options.interfaceName().isPresent())
        {
            final String given = options.interfaceName().get();
            if (links().isKnown() && link(given).isEmpty())
            {
                return Known.unknown("there is no interface " + given + " here (interfaces: " + linkNames() + ")");
            }
            return Known.of(given);
        }
        for (final int vip : options.vips())
        {
            final Known<RouteLookup> route = route(client(), vip);
            if (route.isKnown())
            {
                final Optional<IpLink> link = link(route.value().device());
                if (link.isPresent() && !link.get().isLoopback() && !link.get().isTunnel())
                {
                    return Known.of(link.get().name());
                }
            }
        }
        if (links().isKnown())
        {
            for (final IpLink link : links().value())
            {
                if (link.isEthernet() && link.isUp())
                {
                    return Known.of(link.name());
                }
            }
        }
        return Known.unknown("cannot tell which interface faces the clients (" +
            (links().isKnown() ? "no Ethernet interface is up" : links().problem()) + "); --interface names it");
    }

    /** The firewall rules of nft and iptables together, and what could not be read. */
    public FirewallView firewall()
    {
        if (firewall == null)
        {
            Firewall rules = Firewall.empty();
            final List<String> problems = new ArrayList<>();
            final List<String> tools = new ArrayList<>();
            final Reading nft = host.nftRuleset();
            if (nft.isPresent())
            {
                rules = rules.plus(NftRuleset.parse(nft.text()));
                tools.add("nft");
            }
            else if (nft.status() == Reading.Status.FAILED)
            {
                problems.add("nft list ruleset: " + nft.text());
            }
            final Reading iptables = host.iptablesSave();
            if (iptables.isPresent())
            {
                rules = rules.plus(IptablesSave.parse(iptables.text()));
                tools.add("iptables-save");
            }
            else if (iptables.status() == Reading.Status.FAILED)
            {
                problems.add("iptables-save: " + iptables.text());
            }
            firewall = new FirewallView(rules, problems, tools);
        }
        return firewall;
    }

    /** The rules read, the tools that could not be read (with why), and the tools that were. */
    public record FirewallView(Firewall rules, List<String> problems, List<String> tools)
    {
    }
}
