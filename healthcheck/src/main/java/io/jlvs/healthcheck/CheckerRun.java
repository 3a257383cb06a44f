package io.jlvs.healthcheck;

import io.jlvs.config.HealthCheckConfig;

/**
 * One checker of one real server as the monitor runs it: its configuration, its {@link Checker}, its
 * {@link CheckerState} and its next attempt on the scheduler. Every field is guarded by the monitor's lock; the
 * attempt itself runs outside it.
 * <p>
 * Each scheduling gets a new generation number; an attempt whose generation is no longer current (rescheduled by a
 * reload) or whose run was cancelled does nothing, so one checker never has two attempts in flight.
 */
final class CheckerRun
{
    final ServerHealth server;
    final CheckerState state;
    private HealthCheckConfig config;
    private Checker checker;
    private CheckScheduler.Scheduled pending;
    private long dueNs;
    private int generation;
    private boolean running;
    private boolean cancelled;

    CheckerRun(final ServerHealth server, final HealthCheckConfig config, final Checker checker, final boolean up)
    {
        this.server = server;
        this.config = config;
        this.checker = checker;
        this.state = new CheckerState(CheckerState.Rule.of(config), up);
    }

    HealthCheckConfig config()
    {
        return config;
    }

    Checker checker()
    {
        return checker;
    }

    /** Takes a new configuration of the same checker (a reload that changed only its timing, say). */
    void reconfigure(final HealthCheckConfig config, final Checker checker)
    {
        this.config = config;
        this.checker = checker;
        state.capRetries(config.timing().retry());
    }

    boolean cancelled()
    {
        return cancelled;
    }

    boolean running()
    {
        return running;
    }

    boolean scheduled()
    {
        return pending != null;
    }

    /** When the pending attempt is due, in the scheduler's clock. */
    long dueNs()
    {
        return dueNs;
    }

    /** Schedules the next attempt {@code delayNs} from {@code nowNs}, replacing any pending one. */
    void schedule(final CheckScheduler scheduler, final HealthMonitor monitor, final long nowNs, final long delayNs)
    {
        if (pending != null)
        {
            pending.cancel();
        }
        final int current = ++generation;
        dueNs = nowNs + delayNs;
        pending = scheduler.schedule(() -> monitor.attempt(this, current), delayNs);
    }

    /** Claims the attempt of {@code scheduledGeneration}: false when it is stale, cancelled or one already runs. */
    boolean begin(final int scheduledGeneration)
    {
        if (cancelled || running || scheduledGeneration != generation)
        {
            return false;
        }
        running = true;
        pending = null;
        return true;
    }

    void end()
    {
        running = false;
    }

    /** No more attempts; one in flight finishes and is ignored. */
    void cancel()
    {
        cancelled = true;
        if (pending != null)
        {
            pending.cancel();
            pending = null;
        }
    }

    @Override
    public String toString()
    {
        return checker + " of " + server.endpoint() + " (" + state + ")";
    }
}
