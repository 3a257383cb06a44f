package io.jlvs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * jlvs as operators run it, for the lab tests: a process of its own ({@code java -cp <the tests' class path>
 * io.jlvs.cli.Main ARGS}) started with {@code ip netns exec} in a lab namespace, so that it lives there for its whole
 * life, with its stdout and stderr in files. {@code ip netns exec} replaces itself with the JVM, so the process is
 * jlvs itself: its pid is what {@code /proc} shows, and a signal to it reaches jlvs.
 */
final class JlvsProcess implements AutoCloseable
{
    /** Bounds every wait for a process to end; jlvs stops within a poll interval of its signal. */
    static final long EXIT_WAIT_SECONDS = 10;
    /** A fresh JVM loads the class path, and doctor runs a handful of short commands: far below this. */
    static final long RUN_WAIT_SECONDS = 60;
    private static final long POLL_MS = 50;
    private static final List<String> IP_FALLBACKS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JlvsProcess(final String name, final Process process, final Path stdout, final Path stderr)
    {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** What a finished jlvs command printed, and its exit code. */
    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Starts {@code jlvs ARGS} in {@code namespace}; its output goes to {@code NAME.out} and {@code NAME.err} in
     * {@code directory}.
     */
    static JlvsProcess start(final String namespace, final Path directory, final String name, final String... args)
        throws IOException
    {
        final Path out = directory.resolve(name + ".out");
        final Path err = directory.resolve(name + ".err");
        final Process process = new ProcessBuilder(command(namespace, args))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        // Nothing to say on its stdin; closing it lets a read there see EOF instead of hanging.
        process.getOutputStream().close();
        return new JlvsProcess(name, process, out, err);
    }

    /** Runs {@code jlvs ARGS} in {@code namespace} to its end (bounded: killed after {@link #RUN_WAIT_SECONDS}). */
    static Result run(final String namespace, final Path directory, final String name, final String... args)
        throws IOException, InterruptedException
    {
        try (JlvsProcess jlvs = start(namespace, directory, name, args))
        {
            if (!jlvs.process.waitFor(RUN_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                throw new AssertionError("jlvs " + String.join(" ", args) + " still running after " +
                    RUN_WAIT_SECONDS + " s:\n" + jlvs.output());
            }
            return new Result(jlvs.process.exitValue(), jlvs.stdout(), jlvs.stderr());
        }
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    String stdout() throws IOException
    {
        return read(stdout);
    }

    String stderr() throws IOException
    {
        return read(stderr);
    }

    /** Both streams, labelled, for a failure message. */
    String output()
    {
        try
        {
            return "--- " + name + " stdout\n" + stdout() + "--- " + name + " stderr\n" + stderr() + "---";
        }
        catch (final IOException ex)
        {
            return "cannot read the output of " + name + ": " + ex;
        }
    }

    /** Waits, bounded, until stdout matches; fails naming the output when it does not, or when the process ends. */
    void awaitStdout(final Predicate<String> matches, final long waitNs) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + waitNs;
        while (System.nanoTime() - deadline < 0)
        {
            if (matches.test(stdout()))
            {
                return;
            }
            if (!process.isAlive())
            {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError(name + ": expected output not seen in time:\n" + output());
    }

    /** SIGTERM (what {@code systemctl stop} sends), then waits, bounded; returns the exit code. */
    int stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
        {
            throw new AssertionError(name + " still running " + EXIT_WAIT_SECONDS + " s after SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs: its sockets would keep the lab's namespace alive. */
    @Override
    public void close() throws InterruptedException
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
        {
            System.err.println(name + " (pid " + process.pid() + ") did not die after SIGKILL");
        }
    }

    private static List<String> command(final String namespace, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(
            ipCommand(), "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String read(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** iproute2's {@code ip}: on PATH, or where Debian and others install it when PATH leaves out sbin. */
    static String ipCommand()
    {
        final List<String> candidates = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(":"))
            {
                if (!dir.isEmpty())
                {
                    candidates.add(dir + "/ip");
                }
            }
        }
        candidates.addAll(IP_FALLBACKS);
        for (final String candidate : candidates)
        {
            if (Files.isRegularFile(Path.of(candidate)) && Files.isExecutable(Path.of(candidate)))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("iproute2's 'ip' not found on PATH nor in " + IP_FALLBACKS);
    }
}
