package io.jlvs.healthcheck;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link CheckScheduler} on a {@link ScheduledThreadPoolExecutor} of daemon threads named {@code jlvs-check-N}. An
 * attempt blocks its thread for at most its checker's timeout; the pool size bounds how many run at once, and a
 * check that finds every thread busy simply starts a little late, as keepalived's own single-threaded loop would.
 */
public final class ExecutorCheckScheduler implements CheckScheduler
{
    /** Closing waits this long for attempts in flight (a connect is bounded by connect_timeout anyway). */
    private static final long CLOSE_WAIT_MS = 2_000;

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorCheckScheduler(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("threads must be >= 1, threads=" + threads);
        }
        executor = new ScheduledThreadPoolExecutor(threads, new CheckThreads());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nowNs()
    {
        return System.nanoTime();
    }

    @Override
    public Scheduled schedule(final Runnable task, final long delayNs)
    {
        final ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNs), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads: a forgotten monitor never keeps the JVM alive. */
    private static final class CheckThreads implements ThreadFactory
    {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(final Runnable task)
        {
            final Thread thread = new Thread(task, "jlvs-check-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
