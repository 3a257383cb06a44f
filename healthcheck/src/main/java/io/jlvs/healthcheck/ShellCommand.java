package io.jlvs.healthcheck;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line through {@code /bin/sh -c} with a time limit, as {@code MISC_CHECK} and the notify scripts need:
 * output discarded, stdin empty; past the limit the command and everything it started get SIGTERM and, if still
 * there after a grace period, SIGKILL (keepalived's sequence for a {@code misc_timeout}).
 */
final class ShellCommand
{
    /** keepalived waits 2 s between the SIGTERM and the SIGKILL of a timed-out script. */
    static final long TERMINATE_GRACE_MS = 2_000;

    private static final String SHELL = "/bin/sh";
    private static final File NO_INPUT = new File("/dev/null");
    /** After SIGKILL a process is gone as soon as the kernel reaps it; this only bounds a stuck reap. */
    private static final long KILL_WAIT_MS = 1_000;

    /**
     * How the command ended.
     *
     * @param status   its exit status (0..255; 128 + N when the shell reports a child killed by signal N), or -1
     *                 when it timed out.
     * @param timedOut it ran past the limit and was killed.
     */
    record Exit(int status, boolean timedOut)
    {
        static final int TIMED_OUT = -1;
    }

    private ShellCommand()
    {
    }

    /**
     * Runs {@code commandLine} and waits for it, at most {@code timeoutMs} plus the kill sequence.
     *
     * @throws IOException          when the shell cannot be started.
     * @throws InterruptedException when the waiting thread is interrupted; the command is killed first.
     */
    static Exit run(final String commandLine, final long timeoutMs) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(SHELL, "-c", commandLine)
            .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try
        {
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                return new Exit(process.exitValue(), false);
            }
            terminate(process);
            return new Exit(Exit.TIMED_OUT, true);
        }
        catch (final InterruptedException ex)
        {
            terminate(process);
            throw ex;
        }
    }

    /** SIGTERM to the command and its descendants, then SIGKILL to whatever is left after the grace period. */
    private static void terminate(final Process process) throws InterruptedException
    {
        // Collected first: once the shell dies its children are re-parented and no longer its descendants.
        final List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        final boolean exited = process.waitFor(TERMINATE_GRACE_MS, TimeUnit.MILLISECONDS);
        for (final ProcessHandle child : tree)
        {
            if (child.isAlive())
            {
                child.destroyForcibly();
            }
        }
        if (!exited)
        {
            process.destroyForcibly();
            process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }
}
