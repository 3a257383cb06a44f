package io.jlvs.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Checks what a real server needs so that the inner packets the endpoint delivers reach the local server and the
 * host does not disturb the director, and says what is wrong, one line each with the command that fixes it:
 * <ul>
 * <li>rp_filter for the TUN device, max(all, device), must be 0: the inner packet's source is the client, whose
 *     route leads out another interface, so strict mode (1) drops every one; and loose mode (2) drops every packet
 *     arriving on a device without an IPv4 address ({@code __fib_validate_source}: {@code no_addr} leads to
 *     {@code last_resort}, which rejects whenever rp_filter is on), which the TUN device is unless a VIP is put on
 *     it. The endpoint sets its own device to 0; {@code all} is the operator's.</li>
 * <li>accept_local: a client whose address is one of this host's is dropped as a martian unless it is on
 *     (all OR device); only a note, since only such a client is affected.</li>
 * <li>each VIP must be an address of this host, as a /32 on lo (or on the TUN device).</li>
 * <li>with a VIP on the host, arp_ignore &ge; 1 and arp_announce &ge; 2 (max(all, interface)) on the receiving
 *     interface, so that the host neither answers ARP for the VIP nor announces it.</li>
 * </ul>
 * The rules follow the kernel's {@code IN_DEV_RPFILTER}/{@code IN_DEV_ARP_*} (max of all and device) and
 * {@code IN_DEV_ACCEPT_LOCAL} (all or device) in {@code include/linux/inetdevice.h}.
 */
public final class HostCheck
{
    static final String RP_FILTER = "rp_filter";
    static final String ACCEPT_LOCAL = "accept_local";
    static final String ARP_IGNORE = "arp_ignore";
    static final String ARP_ANNOUNCE = "arp_announce";
    static final String ALL = "all";
    static final String LOOPBACK = "lo";

    private static final int RP_FILTER_OFF = 0;
    private static final int RP_FILTER_STRICT = 1;
    private static final int RP_FILTER_LOOSE = 2;
    /** arp_ignore 1: reply only when the target address is configured on the incoming interface. */
    private static final int ARP_IGNORE_MIN = 1;
    /** arp_announce 2: always use the best local address on the outgoing interface as the ARP source. */
    private static final int ARP_ANNOUNCE_MIN = 2;
    private static final int HOST_PREFIX = 32;

    private HostCheck()
    {
    }

    /** Checks the host for an endpoint opened with {@code options} whose TUN device is {@code tunName}. */
    public static HostReport check(final HostFacts facts, final EndpointOptions options, final String tunName)
    {
        return check(facts, options.interfaceName(), tunName, options.vips());
    }

    /**
     * Checks the host.
     *
     * @param interfaceName the interface IPIP arrives on, or {@code null} when the endpoint takes it from any
     * @param tunName       the TUN device; when it does not exist yet its rp_filter is not checked (the endpoint
     *                      sets it to 0 when it creates the device)
     * @param vips          the VIPs in host byte order; may be empty
     */
    public static HostReport check(
        final HostFacts facts, final String interfaceName, final String tunName, final int[] vips)
    {
        final List<HostFinding> findings = new ArrayList<>();
        List<InterfaceAddress> addresses;
        String addressFailure = null;
        try
        {
            addresses = facts.ipv4Addresses();
        }
        catch (final RuntimeException ex)
        {
            addresses = null;
            addressFailure = ex.getMessage();
        }
        if (interfaceName != null)
        {
            checkInterface(facts, interfaceName, findings);
        }
        checkRpFilter(facts, tunName, hasAddress(addresses, tunName), findings);
        checkAcceptLocal(facts, tunName, findings);
        if (checkVips(addresses, addressFailure, tunName, vips, findings))
        {
            checkArp(facts, interfaceName, ARP_IGNORE, ARP_IGNORE_MIN,
                "the host answers ARP requests for the VIP, competing with the director for it", findings);
            checkArp(facts, interfaceName, ARP_ANNOUNCE, ARP_ANNOUNCE_MIN,
                "the host may put the VIP in its own ARP requests, teaching the network the wrong MAC for it",
                findings);
        }
        return new HostReport(findings);
    }

    /** {@code net.ipv4.conf.<device>.<name>} as sysctl(8) spells it (a '.' in a device name becomes '/'). */
    static String key(final String device, final String name)
    {
        return "net.ipv4.conf." + device.replace('.', '/') + "." + name;
    }

    private static void checkInterface(final HostFacts facts, final String interfaceName, final List<HostFinding> out)
    {
        if (facts.ipv4Conf(interfaceName, RP_FILTER).isEmpty() && facts.ipv4Conf(ALL, RP_FILTER).isPresent())
        {
            out.add(HostFinding.problem("interface " + interfaceName + " does not exist (or has IPv4 disabled): " +
                "the endpoint receives nothing on it", "ip -br link   # then pass one of those to --interface"));
        }
    }

    private static void checkRpFilter(
        final HostFacts facts, final String tunName, final boolean tunHasAddress, final List<HostFinding> out)
    {
        final OptionalInt all = facts.ipv4Conf(ALL, RP_FILTER);
        if (all.isEmpty())
        {
            out.add(HostFinding.note("cannot read " + key(ALL, RP_FILTER) + " (is /proc/sys mounted?): rp_filter " +
                "not checked", "sysctl " + key(ALL, RP_FILTER) + " " + key(tunName, RP_FILTER)));
            return;
        }
        final OptionalInt device = facts.ipv4Conf(tunName, RP_FILTER);
        final int allValue = all.getAsInt();
        final int deviceValue = device.orElse(RP_FILTER_OFF);
        final int effective = Math.max(allValue, deviceValue);
        final String values = device.isPresent() ?
            "(all=" + allValue + ", " + tunName + "=" + deviceValue + ")" :
            "(all=" + allValue + "; " + tunName + " does not exist yet, the endpoint sets its own to 0)";
        if (effective == RP_FILTER_OFF)
        {
            out.add(HostFinding.ok("rp_filter is off for " + tunName + " " + values));
            return;
        }
        if (effective == RP_FILTER_LOOSE && tunHasAddress)
        {
            out.add(HostFinding.ok("rp_filter is loose for " + tunName + " " + values + ", which has an address: " +
                "inner packets pass when the host has a route to the client (a default route will do)"));
            return;
        }
        final List<String> assignments = new ArrayList<>();
        if (allValue != RP_FILTER_OFF)
        {
            assignments.add(key(ALL, RP_FILTER) + "=" + RP_FILTER_OFF);
        }
        if (deviceValue != RP_FILTER_OFF)
        {
            assignments.add(key(tunName, RP_FILTER) + "=" + RP_FILTER_OFF);
        }
        final String why = effective == RP_FILTER_STRICT ?
            "strict for " + tunName + " " + values + ": the kernel drops every inner packet, because its source, " +
                "the client, is not routed back through " + tunName :
            "loose for " + tunName + " " + values + ", but " + tunName + " has no IPv4 address, and the kernel's " +
                "source check rejects every packet arriving on a device without one unless rp_filter is 0";
        final String others = allValue != RP_FILTER_OFF ? " (with all=0 every other interface keeps its own " +
            "rp_filter)" : "";
        out.add(HostFinding.problem("rp_filter is " + why + others, "sysctl -w " + String.join(" ", assignments)));
    }

    private static void checkAcceptLocal(final HostFacts facts, final String tunName, final List<HostFinding> out)
    {
        final int all = facts.ipv4Conf(ALL, ACCEPT_LOCAL).orElse(0);
        final int device = facts.ipv4Conf(tunName, ACCEPT_LOCAL).orElse(0);
        if (all != 0 || device != 0)
        {
            out.add(HostFinding.ok("accept_local is on for " + tunName + ": clients on this host are accepted too"));
            return;
        }
        out.add(HostFinding.note("accept_local is off for " + tunName + ": an inner packet whose source is an " +
            "address of this host (a client on this very host) is dropped as a martian; other clients are not " +
            "affected", "sysctl -w " + key(tunName, ACCEPT_LOCAL) + "=1"));
    }

    /** Whether any VIP is an address of this host (then the ARP settings matter). */
    private static boolean checkVips(final List<InterfaceAddress> addresses, final String addressFailure,
        final String tunName, final int[] vips, final List<HostFinding> out)
    {
        if (vips.length == 0)
        {
            out.add(HostFinding.note("no VIP given: the VIP placement and the ARP settings are not checked, and " +
                "inner packets to any destination are delivered (anyone who can send IPIP here can use this host as " +
                "a relay)", "pass --vip for each virtual service"));
            return false;
        }
        if (addresses == null)
        {
            out.add(HostFinding.note("cannot list this host's addresses (" + addressFailure + "): the VIPs are " +
                "not checked", "ip -4 addr"));
            return false;
        }
        boolean anyLocal = false;
        for (final int vip : vips)
        {
            final String dotted = InterfaceAddress.dotted(vip);
            boolean found = false;
            for (final InterfaceAddress address : addresses)
            {
                if (address.address() != vip)
                {
                    continue;
                }
                found = true;
                anyLocal = true;
                out.add(placement(address, dotted, tunName));
            }
            if (!found)
            {
                out.add(HostFinding.problem("VIP " + dotted + " is not an address of this host: the kernel does not " +
                    "take the inner packets addressed to it", "ip addr add " + dotted + "/32 dev lo"));
            }
        }
        return anyLocal;
    }

    private static boolean hasAddress(final List<InterfaceAddress> addresses, final String device)
    {
        if (addresses != null)
        {
            for (final InterfaceAddress address : addresses)
            {
                if (address.interfaceName().equals(device))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static HostFinding placement(final InterfaceAddress address, final String dotted, final String tunName)
    {
        final String where = dotted + "/" + address.prefixLength();
        final String device = address.interfaceName();
        final String move = "ip addr del " + where + " dev " + device + " && ip addr add " + dotted + "/32 dev lo";
        if (LOOPBACK.equals(device))
        {
            return address.prefixLength() == HOST_PREFIX ?
                HostFinding.ok("VIP " + where + " is on lo") :
                HostFinding.problem("VIP " + where + " is on lo: lo then claims the whole prefix, so this host can " +
                    "no longer reach the other addresses in it", move);
        }
        if (device.equals(tunName))
        {
            return address.prefixLength() == HOST_PREFIX ?
                HostFinding.ok("VIP " + where + " is on " + tunName + " (add it again after every start: the " +
                    "device is created anew)") :
                HostFinding.problem("VIP " + where + " is on " + tunName + ": replies to clients inside the prefix " +
                    "are routed into " + tunName + ", which drops them", move);
        }
        return HostFinding.problem("VIP " + where + " is on " + device + ": the host answers ARP for it there, " +
            "competing with the director for the VIP", move);
    }

    private static void checkArp(
        final HostFacts facts, final String interfaceName, final String name, final int minimum, final String why,
        final List<HostFinding> out)
    {
        final OptionalInt all = facts.ipv4Conf(ALL, name);
        final OptionalInt device = interfaceName == null ? OptionalInt.empty() : facts.ipv4Conf(interfaceName, name);
        if (all.isEmpty())
        {
            out.add(HostFinding.note("cannot read " + key(ALL, name) + ": not checked", "sysctl " + key(ALL, name)));
            return;
        }
        final int effective = Math.max(all.getAsInt(), device.orElse(0));
        final String scope = device.isPresent() ?
            interfaceName + " (all=" + all.getAsInt() + ", " + interfaceName + "=" + device.getAsInt() + ")" :
            "all interfaces (all=" + all.getAsInt() + ")";
        if (effective >= minimum)
        {
            out.add(HostFinding.ok(name + " is " + effective + " on " + scope));
            return;
        }
        final String target = device.isPresent() ? interfaceName : ALL;
        out.add(HostFinding.problem(name + " is " + effective + " on " + scope + ", it must be at least " + minimum +
            " with a VIP on this host: " + why, "sysctl -w " + key(target, name) + "=" + minimum));
    }
}
