package io.jlvs.endpoint;

import java.util.List;
import java.util.OptionalInt;

/**
 * What {@link HostCheck} reads from the host: IPv4 sysctls and addresses. Behind an interface so that the check's
 * logic is tested with fixture values; {@link #live()} reads the calling thread's network namespace.
 */
public interface HostFacts
{
    /**
     * The value of {@code net.ipv4.conf.<device>.<name>} ({@code device} may be {@code all} or {@code default}),
     * or empty when it cannot be read (no such device, or /proc/sys is not there).
     */
    OptionalInt ipv4Conf(String device, String name);

    /** Every IPv4 address of the host. */
    List<InterfaceAddress> ipv4Addresses();

    /** The host as the calling thread sees it: /proc/sys and a netlink address dump in its network namespace. */
    static HostFacts live()
    {
        return new LiveHostFacts();
    }
}
