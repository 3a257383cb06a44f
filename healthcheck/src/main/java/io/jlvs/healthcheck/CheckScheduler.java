package io.jlvs.healthcheck;

/**
 * The clock and the timer the monitor runs checks on: {@link ExecutorCheckScheduler} in production (a few threads of
 * its own, never a dataplane thread), a manual one in tests that advances time by hand so that retries and delays are
 * counted exactly.
 */
public interface CheckScheduler extends AutoCloseable
{
    /** A task that may still be cancelled. */
    @FunctionalInterface
    interface Scheduled
    {
        /** Stops the task from starting; a task already running finishes. */
        void cancel();
    }

    /** Now, in the {@link System#nanoTime()} domain (or the test's). */
    long nowNs();

    /** Runs {@code task} once on a checker thread after {@code delayNs}. */
    Scheduled schedule(Runnable task, long delayNs);

    /** Stops every thread; queued tasks never run. */
    @Override
    void close();
}
