package io.jlvs.dataplane.transport;

import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by two veth pairs, for transport tests:
 * <pre>
 *   namespace A                       namespace B
 *   va 198.18.0.1/24  &lt;--veth--&gt;  vb 198.18.0.2/24
 *   vc 198.18.1.1/24  &lt;--veth--&gt;  vd 198.18.1.2/24
 * </pre>
 * Names are unique per run ({@code jlt<6 hex>-a/-b}), IPv6 is off so that no router solicitation or DAD frame
 * disturbs a count, and everything is deleted by {@link #close()} (or by a shutdown hook if the JVM dies first).
 * Offloads are left as veth sets them: partial checksums and GSO super-frames are what the transport must handle.
 */
public final class VethLab implements AutoCloseable
{
    public static final String A_MAIN = "va";
    public static final String B_MAIN = "vb";
    public static final String A_SIDE = "vc";
    public static final String B_SIDE = "vd";
    /** 198.18.0.1 and 198.18.0.2, host byte order. */
    public static final int A_MAIN_IP = 0xC6120001;
    public static final int B_MAIN_IP = 0xC6120002;
    public static final String B_MAIN_IP_TEXT = "198.18.0.2";
    private static final long COMMAND_TIMEOUT_SECONDS = 10;
    private static final int NAME_HEX_BITS = 24;

    private final String nsA;
    private final String nsB;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Thread cleanup;

    private VethLab(final String nsA, final String nsB)
    {
        this.nsA = nsA;
        this.nsB = nsB;
        this.cleanup = new Thread(this::deleteNamespaces, "veth-lab-cleanup");
    }

    /** Builds the lab, or skips the calling test (fails it when CI=true) when not root. */
    public static VethLab create() throws Exception
    {
        LabRequirements.assumeRoot();
        final String id = String.format("%06x", new SecureRandom().nextInt(1 << NAME_HEX_BITS));
        final VethLab lab = new VethLab("jlt" + id + "-a", "jlt" + id + "-b");
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try
        {
            lab.build();
        }
        catch (final Exception | Error ex)
        {
            lab.close();
            throw ex;
        }
        return lab;
    }

    private void build() throws IOException
    {
        run("ip", "netns", "add", nsA);
        run("ip", "netns", "add", nsB);
        for (final String ns : List.of(nsA, nsB))
        {
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1");
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "-n", nsA, "link", "add", A_MAIN, "type", "veth", "peer", "name", B_MAIN, "netns", nsB);
        run("ip", "-n", nsA, "link", "add", A_SIDE, "type", "veth", "peer", "name", B_SIDE, "netns", nsB);
        run("ip", "-n", nsA, "addr", "add", "198.18.0.1/24", "dev", A_MAIN);
        run("ip", "-n", nsB, "addr", "add", "198.18.0.2/24", "dev", B_MAIN);
        run("ip", "-n", nsA, "addr", "add", "198.18.1.1/24", "dev", A_SIDE);
        run("ip", "-n", nsB, "addr", "add", "198.18.1.2/24", "dev", B_SIDE);
        for (final String name : List.of(A_MAIN, A_SIDE))
        {
            run("ip", "-n", nsA, "link", "set", name, "up");
        }
        for (final String name : List.of(B_MAIN, B_SIDE))
        {
            run("ip", "-n", nsB, "link", "set", name, "up");
        }
    }

    public String nsA()
    {
        return nsA;
    }

    public String nsB()
    {
        return nsB;
    }

    /** Runs {@code body} on this thread inside {@code namespace}; what it opens stays there. */
    public <T> T in(final String namespace, final Callable<T> body) throws Exception
    {
        return NetworkNamespace.call(namespace, body);
    }

    /** Closes {@code resource} when the lab closes (before the namespaces go), and returns it. */
    public <T extends AutoCloseable> T track(final T resource)
    {
        resources.push(resource);
        return resource;
    }

    /** {@code ip -n NS -o link show IF}: the interface as iproute2 sees it, to check the transport's view. */
    public String linkLine(final String namespace, final String name) throws IOException
    {
        return run("ip", "-n", namespace, "-o", "link", "show", name);
    }

    /** The MAC of {@code name} in {@code namespace} as iproute2 prints it, as a 48-bit long. */
    public long mac(final String namespace, final String name) throws IOException
    {
        final String line = linkLine(namespace, name);
        final int at = line.indexOf("link/ether ");
        final String text = line.substring(at + "link/ether ".length(), at + "link/ether ".length() + 17);
        return Long.parseLong(text.replace(":", ""), 16);
    }

    /** The interface index iproute2 prints first on the line. */
    public int index(final String namespace, final String name) throws IOException
    {
        final String line = linkLine(namespace, name);
        return Integer.parseInt(line.substring(0, line.indexOf(':')).trim());
    }

    @Override
    public void close()
    {
        while (!resources.isEmpty())
        {
            try
            {
                resources.pop().close();
            }
            catch (final Exception ex)
            {
                System.err.println("veth lab: closing a resource failed: " + ex);
            }
        }
        deleteNamespaces();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException ignored)
        {
            // Already shutting down: the hook is running or ran.
        }
    }

    private void deleteNamespaces()
    {
        for (final String ns : List.of(nsA, nsB))
        {
            try
            {
                runQuietly("ip", "netns", "del", ns);
            }
            catch (final IOException ex)
            {
                System.err.println("veth lab: deleting namespace " + ns + " failed: " + ex);
            }
        }
    }

    private static void runQuietly(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            process.getInputStream().readAllBytes();
            process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            process.destroy();
        }
    }

    /** Runs a command, bounded in time; a non-zero exit throws with its output. */
    public static String run(final String... command) throws IOException
    {
        final List<String> line = new ArrayList<>(List.of(command));
        final Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        try
        {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IOException("timed out: " + String.join(" ", line));
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("exit " + process.exitValue() + ": " + String.join(" ", line) + "\n" + output);
            }
            return output;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", line), ex);
        }
        finally
        {
            process.destroy();
        }
    }
}
