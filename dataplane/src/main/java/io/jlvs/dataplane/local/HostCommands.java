package io.jlvs.dataplane.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's own tools ({@code ip}, {@code nft}) for control-plane setup, in the director's network namespace:
 * directly when jlvs runs there, or behind a prefix such as {@code ip netns exec NS} when a lab runs the director
 * in-process. Never used on the per-packet path.
 */
public final class HostCommands
{
    private static final long TIMEOUT_SECONDS = 10;

    private final List<String> prefix;

    private HostCommands(final List<String> prefix)
    {
        this.prefix = List.copyOf(prefix);
    }

    /** Commands run in the namespace jlvs itself runs in. */
    public static HostCommands local()
    {
        return new HostCommands(List.of());
    }

    /** Commands run in network namespace {@code name} (for a director run in-process by a lab). */
    public static HostCommands inNamespace(final String name)
    {
        return new HostCommands(List.of("ip", "netns", "exec", name));
    }

    /** Runs the command; returns its standard output; throws naming the command and its stderr when it fails. */
    public String run(final String... command) throws IOException
    {
        final List<String> full = new ArrayList<>(prefix);
        full.addAll(List.of(command));
        final Process process = new ProcessBuilder(full).redirectErrorStream(false).start();
        try
        {
            process.getOutputStream().close();
            final byte[] out = process.getInputStream().readAllBytes();
            final byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", full));
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("'" + String.join(" ", full) + "' failed (exit " + process.exitValue() + "): " +
                    new String(err, StandardCharsets.UTF_8).trim());
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", full), ex);
        }
    }

    /** Runs the command and ignores a failure (for idempotent cleanup of what may not exist). */
    public void runQuietly(final String... command)
    {
        try
        {
            run(command);
        }
        catch (final IOException ignored)
        {
            // Cleanup of something that is already gone.
        }
    }
}
