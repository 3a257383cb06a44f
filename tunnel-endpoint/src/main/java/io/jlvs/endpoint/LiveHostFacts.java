package io.jlvs.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@link HostFacts} from the running kernel. {@code /proc/sys/net} shows the network namespace of the thread that
 * reads it (the kernel looks the table up through {@code current}), and the netlink socket belongs to the thread
 * that opens it, so everything here describes the calling thread's namespace.
 */
final class LiveHostFacts implements HostFacts
{
    private static final Path IPV4_CONF = Path.of("/proc/sys/net/ipv4/conf");

    @Override
    public OptionalInt ipv4Conf(final String device, final String name)
    {
        try
        {
            return OptionalInt.of(Integer.parseInt(Files.readString(confPath(device, name)).trim()));
        }
        catch (final IOException | NumberFormatException ex)
        {
            return OptionalInt.empty();
        }
    }

    @Override
    public List<InterfaceAddress> ipv4Addresses()
    {
        return NetlinkAddresses.dump();
    }

    /** Writes {@code net.ipv4.conf.<device>.<name>}; whether it worked (it needs CAP_NET_ADMIN and a writable /proc/sys). */
    static boolean writeIpv4Conf(final String device, final String name, final int value)
    {
        try
        {
            Files.writeString(confPath(device, name), Integer.toString(value), StandardCharsets.US_ASCII);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static Path confPath(final String device, final String name)
    {
        if (device.isEmpty() || device.contains("/") || device.equals(".") || device.equals(".."))
        {
            throw new IllegalArgumentException("not a device name: '" + device + "'");
        }
        return IPV4_CONF.resolve(device).resolve(name);
    }
}
