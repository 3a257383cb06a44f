package io.jlvs.endpoint;

import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two namespaces joined by a veth pair, for the tunnel endpoint's lab tests: {@code jlte<hex>-dir} (the director's
 * side, 198.18.5.1/24, and also the client 198.18.6.10 on its lo) and {@code jlte<hex>-rs} (the real server,
 * 198.18.5.2/24, VIP 198.18.0.200/32 on lo, a route to the client's subnet via the director). Unique names per run;
 * {@link #close()} deletes both, also from a shutdown hook. Commands run only on the calling thread, which must not
 * be inside a namespace.
 */
final class TunnelLab implements AutoCloseable
{
    static final String DIRECTOR_ADDRESS = "198.18.5.1";
    static final String REAL_SERVER_ADDRESS = "198.18.5.2";
    static final String CLIENT_ADDRESS = "198.18.6.10";
    static final String VIP = "198.18.0.200";
    static final String INTERFACE = "eth0";
    private static final List<String> IP_CANDIDATES = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
    private static final long COMMAND_TIMEOUT_SECONDS = 10;
    private static final int RANDOM_HEX_DIGITS = 6;

    final String director;
    final String realServer;
    private final List<String> created = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private TunnelLab()
    {
        final String id = String.format("%0" + RANDOM_HEX_DIGITS + "x",
            new SecureRandom().nextInt(1 << (4 * RANDOM_HEX_DIGITS)));
        director = "jlte" + id + "-dir";
        realServer = "jlte" + id + "-rs";
        shutdownHook = new Thread(this::deleteNamespaces, "jlte" + id + "-teardown");
    }

    static TunnelLab start() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        final TunnelLab lab = new TunnelLab();
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try
        {
            lab.build();
            return lab;
        }
        catch (final IOException | RuntimeException ex)
        {
            lab.close();
            throw ex;
        }
    }

    private void build() throws IOException
    {
        ip("netns", "add", director);
        created.add(director);
        ip("netns", "add", realServer);
        created.add(realServer);
        ip("-n", director, "link", "add", INTERFACE, "type", "veth", "peer", "name", INTERFACE, "netns", realServer);
        ip("-n", director, "addr", "add", DIRECTOR_ADDRESS + "/24", "dev", INTERFACE);
        ip("-n", director, "addr", "add", CLIENT_ADDRESS + "/32", "dev", "lo");
        ip("-n", director, "link", "set", "lo", "up");
        ip("-n", director, "link", "set", INTERFACE, "up");
        ip("-n", director, "route", "add", VIP + "/32", "via", REAL_SERVER_ADDRESS);
        ip("-n", realServer, "addr", "add", REAL_SERVER_ADDRESS + "/24", "dev", INTERFACE);
        ip("-n", realServer, "addr", "add", VIP + "/32", "dev", "lo");
        ip("-n", realServer, "link", "set", "lo", "up");
        ip("-n", realServer, "link", "set", INTERFACE, "up");
        ip("-n", realServer, "route", "add", "198.18.6.0/24", "via", DIRECTOR_ADDRESS);
    }

    /** Writes {@code net.ipv4.conf.<device>.<name>} in the real server's namespace, from a thread inside it. */
    void realServerSysctl(final String device, final String name, final int value) throws Exception
    {
        NetworkNamespace.run(realServer, () -> Files.writeString(
            Path.of("/proc/sys/net/ipv4/conf", device, name), Integer.toString(value), StandardCharsets.US_ASCII));
    }

    /** A field of the {@code Ip:} lines of the real server's /proc/net/snmp, e.g. {@code InUnknownProtos}. */
    long realServerIpStatistic(final String field) throws Exception
    {
        return realServerStatistic("snmp", "Ip:", field);
    }

    /** A field of the {@code TcpExt:} lines of the real server's /proc/net/netstat, e.g. {@code IPReversePathFilter}. */
    long realServerTcpExtStatistic(final String field) throws Exception
    {
        return realServerStatistic("netstat", "TcpExt:", field);
    }

    /** /proc/thread-self/net: the namespace of the reading thread (/proc/net follows the process's main thread). */
    private long realServerStatistic(final String file, final String prefix, final String field) throws Exception
    {
        final List<String> lines = NetworkNamespace.call(realServer,
            () -> Files.readAllLines(Path.of("/proc/thread-self/net", file)));
        for (int i = 0; i + 1 < lines.size(); i++)
        {
            if (lines.get(i).startsWith(prefix) && lines.get(i + 1).startsWith(prefix))
            {
                final String[] names = lines.get(i).trim().split("\\s+");
                final String[] values = lines.get(i + 1).trim().split("\\s+");
                for (int k = 1; k < names.length && k < values.length; k++)
                {
                    if (names[k].equals(field))
                    {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        }
        throw new IllegalStateException("no " + prefix + " " + field + " in /proc/net/" + file + " of " + realServer);
    }

    /** {@code ip -o link show DEVICE} in the real server's namespace, or null when there is no such device. */
    String realServerLink(final String device) throws IOException
    {
        try
        {
            return ip("-n", realServer, "-o", "link", "show", device);
        }
        catch (final IOException ex)
        {
            if (ex.getMessage().contains("does not exist"))
            {
                return null;
            }
            throw ex;
        }
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down and the hook runs (or ran) the same teardown
        }
        deleteNamespaces();
    }

    private void deleteNamespaces()
    {
        for (final String namespace : created)
        {
            try
            {
                ip("netns", "del", namespace);
            }
            catch (final IOException ex)
            {
                System.err.println("teardown: " + ex.getMessage());
            }
        }
        created.clear();
    }

    static String ip(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ipPath());
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("jlte-", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            final String output = Files.readString(out);
            if (process.exitValue() != 0)
            {
                throw new IOException("exit " + process.exitValue() + ": " + String.join(" ", command) + ": " +
                    output.strip());
            }
            return output;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), ex);
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }

    private static String ipPath()
    {
        for (final String candidate : IP_CANDIDATES)
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        return "ip";
    }
}
