package io.jlvs.healthcheck;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Notifier} that runs each script through {@code /bin/sh -c} on a thread of its own ({@code jlvs-notify}), one
 * after another in the order the events happened, each killed past a time limit so that a hung script cannot hold
 * back the ones after it.
 */
public final class NotifyScripts implements Notifier
{
    private final long timeoutMs;
    private final long closeWaitMs;
    private final Consumer<String> log;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "jlvs-notify");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param timeoutMs   how long one script may run.
     * @param closeWaitMs how long {@link #close()} waits for scripts still queued or running.
     * @param log         where failures are reported.
     */
    public NotifyScripts(final long timeoutMs, final long closeWaitMs, final Consumer<String> log)
    {
        this.timeoutMs = timeoutMs;
        this.closeWaitMs = closeWaitMs;
        this.log = log;
    }

    @Override
    public void notify(final String script, final String event)
    {
        try
        {
            executor.execute(() -> run(script, event));
        }
        catch (final RejectedExecutionException ex)
        {
            log.accept("notify script not run (monitor closed): " + script + " (" + event + ")");
        }
    }

    private void run(final String script, final String event)
    {
        try
        {
            final ShellCommand.Exit exit = ShellCommand.run(script, timeoutMs);
            if (exit.timedOut())
            {
                log.accept("notify script killed after " + timeoutMs + " ms: " + script + " (" + event + ")");
            }
            else if (exit.status() != 0)
            {
                log.accept("notify script exited with status " + exit.status() + ": " + script + " (" + event + ")");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Exception ex)
        {
            log.accept("notify script could not run: " + script + " (" + event + "): " + ex);
        }
    }

    @Override
    public void close()
    {
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(closeWaitMs, TimeUnit.MILLISECONDS))
            {
                // Interrupting the waiting thread makes ShellCommand kill the script it is running.
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
