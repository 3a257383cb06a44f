package io.jlvs.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ip} and other commands for the lab, bounded in time, and turns a non-zero exit into an exception that
 * carries the command and its stderr.
 * <p>
 * Never call these from a thread that has entered a lab namespace: the JVM may start its process-reaper thread on
 * the first call, and that thread would keep the namespace alive after it is deleted.
 */
final class Commands
{
    /** Generous for {@code ip} (milliseconds of work); a hung command still cannot stall a test run. */
    static final long TIMEOUT_SECONDS = 10;

    private Commands()
    {
    }

    /** {@code ip ARGS...}, returns stdout. */
    static String ip(final String... args) throws IOException
    {
        return run(withIp(args), null);
    }

    /** {@code ip [-n NAMESPACE] -batch -} fed with {@code lines}; stops at the first failing line. */
    static void ipBatch(final String namespace, final List<String> lines) throws IOException
    {
        if (lines.isEmpty())
        {
            return;
        }
        final String[] args = namespace == null ?
            new String[] {"-batch", "-"} :
            new String[] {"-n", namespace, "-batch", "-"};
        run(withIp(args), String.join("\n", lines) + "\n");
    }

    /** {@code ip -force -batch -}: every line is tried, failures are reported together at the end. */
    static void ipBatchForce(final List<String> lines) throws IOException
    {
        if (!lines.isEmpty())
        {
            run(withIp("-force", "-batch", "-"), String.join("\n", lines) + "\n");
        }
    }

    /** Runs {@code command}, optionally fed {@code stdin}; returns stdout or throws with stderr. */
    static String run(final List<String> command, final String stdin) throws IOException
    {
        final Path out = Files.createTempFile("jlvs-lab-", ".out");
        final Path err = Files.createTempFile("jlvs-lab-", ".err");
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            try (OutputStream in = process.getOutputStream())
            {
                if (stdin != null)
                {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            final boolean exited;
            try
            {
                exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), ex);
            }
            if (!exited)
            {
                process.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("exit " + process.exitValue() + ": " + String.join(" ", command) + ": " +
                    Files.readString(err).strip());
            }
            return Files.readString(out);
        }
        finally
        {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> withIp(final String... args)
    {
        final List<String> command = new ArrayList<>(args.length + 1);
        command.add(LabRequirements.ipCommand());
        command.addAll(Arrays.asList(args));
        return command;
    }
}
