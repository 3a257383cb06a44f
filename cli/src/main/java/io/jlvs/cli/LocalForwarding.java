package io.jlvs.cli;

import io.jlvs.config.RealServerConfig;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether the director may also be one of its own real servers (ipvsadm's "Local" forwarding), and the check that
 * refuses a configuration naming one of this host's addresses as a real server when it may not.
 * <p>
 * Local forwarding needs {@code nft}: while the host holds the VIP on lo, an nftables ingress rule keeps its kernel
 * from answering the VIP frames jlvs forwards to the other real servers. Without {@code nft} the director cannot do
 * that safely, so such a configuration is an error, not a silent Route to itself.
 */
final class LocalForwarding
{
    /** IPv4 addresses are 4 bytes; anything else {@link NetworkInterface} lists is IPv6. */
    private static final int IPV4_BYTES = 4;
    private static final int BITS_PER_BYTE = 8;
    private static final int BYTE_MASK = 0xFF;

    private final int[] hostAddresses;
    private final boolean available;

    /**
     * @param hostAddresses this host's IPv4 addresses (host byte order).
     * @param available     whether the host side of Local forwarding can be built ({@code nft} is installed).
     */
    LocalForwarding(final int[] hostAddresses, final boolean available)
    {
        this.hostAddresses = hostAddresses.clone();
        Arrays.sort(this.hostAddresses);
        this.available = available;
    }

    /**
     * Every IPv4 address of every interface of the calling thread's network namespace (the main thread's is the
     * process's), loopback addresses left out: 127.0.0.0/8 is never a real server's address.
     */
    static int[] hostAddresses() throws SocketException
    {
        final TreeSet<Integer> addresses = new TreeSet<>();
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            for (final InetAddress address : Collections.list(nic.getInetAddresses()))
            {
                if (address instanceof Inet4Address && !address.isLoopbackAddress())
                {
                    addresses.add(toInt(address.getAddress()));
                }
            }
        }
        return addresses.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int toInt(final byte[] networkOrder)
    {
        int address = 0;
        for (int i = 0; i < IPV4_BYTES; i++)
        {
            address = (address << BITS_PER_BYTE) | (networkOrder[i] & BYTE_MASK);
        }
        return address;
    }

    int[] addresses()
    {
        return hostAddresses.clone();
    }

    boolean available()
    {
        return available;
    }

    /**
     * Refuses services that name one of this host's addresses as a DR real server while Local forwarding is not
     * available.
     *
     * @throws IllegalArgumentException naming the first such real server (and its file and line when it came from
     *                                  one) and what to do about it.
     */
    void check(final List<MonitoredService> services)
    {
        if (available)
        {
            return;
        }
        for (final MonitoredService service : services)
        {
            final List<RealServerSpec> servers = service.spec().realServers();
            for (int i = 0; i < servers.size(); i++)
            {
                final RealServerSpec server = servers.get(i);
                if (server.method() == ForwardingMethod.ROUTE &&
                    Arrays.binarySearch(hostAddresses, server.address()) >= 0)
                {
                    final RealServerConfig configured = service.config().realServers().get(i);
                    throw new IllegalArgumentException(where(configured) + "real_server " +
                        Ipv4.toString(server.address()) + ' ' + server.port() + " of virtual_server " +
                        service.config().displayName() + " is this host's own address: its connections would be " +
                        "delivered to this host's stack (Local forwarding), which needs nft (nftables) to keep the " +
                        "host's kernel from answering the VIP frames jlvs forwards to the other real servers; " +
                        "install nftables, or remove that real_server");
                }
            }
        }
    }

    private static String where(final RealServerConfig server)
    {
        return server.line() > 0 ? server.file() + ':' + server.line() + ":1: " : "";
    }
}
