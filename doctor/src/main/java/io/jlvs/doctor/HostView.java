package io.jlvs.doctor;

/**
 * Everything the doctor's checks read from a host, as the host's own text (files under /proc and /sys, {@code ip},
 * {@code nft}, {@code iptables-save} output), so that each check can be tested against canned text.
 * <p>
 * Implementations only read: the doctor never changes a host, it prints the commands that would.
 * {@link LocalHostView} reads the machine it runs on.
 */
public interface HostView
{
    /**
     * A sysctl under /proc/sys, by its path there ({@code net/ipv4/conf/eth0/arp_ignore}; a path, not a dotted key,
     * because interface names may contain dots). Present with the value, trimmed; absent when the file does not exist.
     */
    Reading sysctl(String path);

    /** {@code ip -o addr show}: one line per address. */
    Reading addresses();

    /** {@code ip -o link show}: one line per interface, flags, MTU, state, link type, XDP program. */
    Reading links();

    /**
     * {@code ip route get DESTINATION from SOURCE} (addresses in host byte order), or {@code ip route get DESTINATION}
     * when {@code source} is 0. Failed, with {@code ip}'s error, when there is no route.
     */
    Reading routeGet(int destination, int source);

    /**
     * {@code nft -a list ruleset} (with {@code -a}, each rule's handle, which makes the {@code nft delete rule}
     * fixes possible; plain {@code nft list ruleset} output is read too); absent when nft is not installed.
     */
    Reading nftRuleset();

    /** {@code iptables-save}; absent when it is not installed. */
    Reading iptablesSave();

    /** /proc/modules: the loaded kernel modules (absent on kernels without module support). */
    Reading modules();

    /** Whether /sys/module/{@code name} exists: the module is loaded or built into the kernel. */
    boolean kernelModulePresent(String name);

    /** The command lines of running processes, one per line, arguments separated by spaces. */
    Reading processes();

    /**
     * Opens an AF_PACKET socket on {@code interfaceName} with a memory-mapped TPACKET_V3 ring and closes it again.
     * Present (with a short description) when that worked, failed with the reason when not, absent when nothing was
     * given to probe with.
     */
    Reading packetSocketProbe(String interfaceName);
}
