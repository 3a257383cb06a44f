package io.jlvs.doctor.host;

/**
 * Sysctl names in their two spellings: the path under /proc/sys ({@code net/ipv4/conf/eth0.100/arp_ignore}) that
 * the doctor reads, and the dotted key ({@code net.ipv4.conf.eth0/100.arp_ignore}) that {@code sysctl -w} takes,
 * where a dot inside a name (a VLAN interface) is written as a slash.
 */
public final class Sysctls
{
    /** Written to every interface, and combined with each interface's own value (by max or by or). */
    public static final String ALL = "all";

    private Sysctls()
    {
    }

    /** {@code net/ipv4/conf/INTERFACE/NAME}. */
    public static String confPath(final String interfaceName, final String name)
    {
        return "net/ipv4/conf/" + interfaceName + "/" + name;
    }

    /** The dotted key of a /proc/sys path. */
    public static String key(final String path)
    {
        final String[] parts = path.split("/");
        final StringBuilder key = new StringBuilder(path.length());
        for (final String part : parts)
        {
            if (key.length() > 0)
            {
                key.append('.');
            }
            key.append(part.replace('.', '/'));
        }
        return key.toString();
    }

    /** The /proc/sys path of a dotted key (the inverse of {@link #key}). */
    public static String path(final String key)
    {
        final String[] parts = key.split("\\.");
        final StringBuilder path = new StringBuilder(key.length());
        for (final String part : parts)
        {
            if (path.length() > 0)
            {
                path.append('/');
            }
            path.append(part.replace('/', '.'));
        }
        return path.toString();
    }

    /** {@code sysctl -w KEY=VALUE KEY=VALUE ...} for paths and values given in pairs. */
    public static String writeCommand(final String... pathValuePairs)
    {
        if (pathValuePairs.length == 0 || pathValuePairs.length % 2 != 0)
        {
            throw new IllegalArgumentException("sysctl writes come in path/value pairs, count=" +
                pathValuePairs.length);
        }
        final StringBuilder command = new StringBuilder("sysctl -w");
        for (int i = 0; i < pathValuePairs.length; i += 2)
        {
            command.append(' ').append(key(pathValuePairs[i])).append('=').append(pathValuePairs[i + 1]);
        }
        return command.toString();
    }
}
