package io.jlvs.healthcheck;

import java.util.function.Consumer;

/**
 * How a {@link HealthMonitor} runs its checks.
 *
 * @param checkThreads     threads of the monitor's own scheduler (when {@code scheduler} is null); each attempt
 *                         blocks one for at most its checker's timeout.
 * @param context          where attempts run ({@link CheckContext#DIRECT}, or inside the director's namespace).
 * @param checkers         makes the checkers ({@link CheckerFactory#KEEPALIVED}).
 * @param scheduler        the clock and timer to use, or null for an {@link ExecutorCheckScheduler} the monitor owns
 *                         and closes; a scheduler passed in is left open.
 * @param notifier         runs the notify scripts, or null for {@link NotifyScripts} owned by the monitor.
 * @param notifyTimeoutMs  how long one notify script may run before it is killed.
 * @param bootstrapDelayMs delay before any checker's first attempt, on top of its random warmup.
 * @param randomSeed       seeds the warmup delays (tests print it).
 * @param log              one line per state change and per failure to publish.
 */
public record HealthMonitorOptions(
    int checkThreads,
    CheckContext context,
    CheckerFactory checkers,
    CheckScheduler scheduler,
    Notifier notifier,
    long notifyTimeoutMs,
    long bootstrapDelayMs,
    long randomSeed,
    Consumer<String> log)
{
    /** Few threads: attempts are short and bounded by their timeouts; keepalived runs them all on one. */
    public static final int DEFAULT_CHECK_THREADS = 4;
    /** A notify script still running after this long is hung; killing it lets the ones queued after it run. */
    public static final long DEFAULT_NOTIFY_TIMEOUT_MS = 30_000;
    /** keepalived's {@code BOOTSTRAP_DELAY}: one second before the first check, plus the warmup. */
    public static final long DEFAULT_BOOTSTRAP_DELAY_MS = 1_000;

    public HealthMonitorOptions
    {
        if (checkThreads < 1)
        {
            throw new IllegalArgumentException("checkThreads must be >= 1, checkThreads=" + checkThreads);
        }
        if (notifyTimeoutMs <= 0 || bootstrapDelayMs < 0)
        {
            throw new IllegalArgumentException("notifyTimeoutMs must be > 0 and bootstrapDelayMs >= 0, " +
                "notifyTimeoutMs=" + notifyTimeoutMs + ", bootstrapDelayMs=" + bootstrapDelayMs);
        }
        if (context == null || checkers == null || log == null)
        {
            throw new IllegalArgumentException("context, checkers and log must be given");
        }
    }

    public static HealthMonitorOptions defaults()
    {
        return new HealthMonitorOptions(DEFAULT_CHECK_THREADS, CheckContext.DIRECT, CheckerFactory.KEEPALIVED, null,
            null, DEFAULT_NOTIFY_TIMEOUT_MS, DEFAULT_BOOTSTRAP_DELAY_MS, System.nanoTime(),
            line -> System.err.println("jlvs healthcheck: " + line));
    }

    public HealthMonitorOptions withCheckThreads(final int threads)
    {
        return new HealthMonitorOptions(threads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withContext(final CheckContext context)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withCheckers(final CheckerFactory checkers)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withScheduler(final CheckScheduler scheduler)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withNotifier(final Notifier notifier)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withNotifyTimeoutMs(final long timeoutMs)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, timeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }

    public HealthMonitorOptions withBootstrapDelayMs(final long delayMs)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            delayMs, randomSeed, log);
    }

    public HealthMonitorOptions withRandomSeed(final long seed)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, seed, log);
    }

    public HealthMonitorOptions withLog(final Consumer<String> log)
    {
        return new HealthMonitorOptions(checkThreads, context, checkers, scheduler, notifier, notifyTimeoutMs,
            bootstrapDelayMs, randomSeed, log);
    }
}
