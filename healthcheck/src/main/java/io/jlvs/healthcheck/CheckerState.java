package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.HealthCheckConfig;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.MiscCheck;

/**
 * One checker's verdict and retry count, moved by each attempt's result exactly as keepalived's checkers move theirs,
 * and the delay before the next attempt. Pure: no clock, no thread; {@link HealthMonitor} owns it under its lock.
 * <p>
 * With {@code retry} R, R + 1 failed attempts in a row take an up checker down (the first one and R more, each after
 * {@code delay_before_retry}); a passing attempt resets the count. Each checker type has keepalived's own details:
 * <ul>
 *   <li>{@code TCP_CHECK} ({@code tcp_epilog}): the verdict is the result of the attempt that ends a series; a down
 *   checker keeps retrying in series too.</li>
 *   <li>{@code MISC_CHECK} ({@code misc_check_child_thread}): only an up checker counts retries; the next attempt is
 *   timed from the start of the previous one.</li>
 *   <li>{@code HTTP_GET}/{@code SSL_GET} ({@code epilog}): once down, the checker retries every
 *   max({@code delay_loop}, {@code delay_before_retry}), and the first pass only clears the failure: it takes a second
 *   pass, one {@code delay_loop} later, to come back up.</li>
 * </ul>
 */
final class CheckerState
{
    /** Which of keepalived's checker loops this state follows. */
    enum Rule
    {
        TCP,
        HTTP,
        MISC;

        static Rule of(final HealthCheckConfig config)
        {
            if (config instanceof HttpGetCheck)
            {
                return HTTP;
            }
            return config instanceof MiscCheck ? MISC : TCP;
        }

        /** Whether the next attempt is timed from the start of this one (else from its end). */
        boolean timedFromStart()
        {
            return this == MISC;
        }
    }

    private final Rule rule;
    private boolean up;
    private boolean hasRun;
    private int retries;
    /** HTTP only: keepalived's {@code failed_url}, a down verdict not yet cleared by a passing attempt. */
    private boolean failed;

    CheckerState(final Rule rule, final boolean up)
    {
        this.rule = rule;
        this.up = up;
    }

    Rule rule()
    {
        return rule;
    }

    /** The checker's verdict: keepalived's {@code is_up}. */
    boolean up()
    {
        return up;
    }

    /** Whether an attempt has completed since the checker was created. */
    boolean hasRun()
    {
        return hasRun;
    }

    /** Failed attempts counted towards the retry limit: keepalived's {@code retry_it}. */
    int retries()
    {
        return retries;
    }

    /** A reload lowered {@code retry}: retries already counted beyond it count as reaching it (keepalived). */
    void capRetries(final int retry)
    {
        retries = Math.min(retries, retry);
    }

    /** keepalived, reload: a new checker on a server already failing needs one failure only to say down. */
    void oneFailureIsEnough(final int retry)
    {
        retries = retry;
    }

    /**
     * Applies the result of one attempt.
     *
     * @return the delay before the next attempt, in ms.
     */
    long onResult(final boolean passed, final CheckTiming timing)
    {
        switch (rule)
        {
            case TCP: return tcp(passed, timing);
            case MISC: return misc(passed, timing);
            default: return http(passed, timing);
        }
    }

    private long tcp(final boolean passed, final CheckTiming timing)
    {
        hasRun = true;
        if (passed || retries >= timing.retry())
        {
            retries = 0;
            up = passed;
            return timing.delayLoopMs();
        }
        retries++;
        return timing.delayBeforeRetryMs();
    }

    private long misc(final boolean passed, final CheckTiming timing)
    {
        hasRun = true;
        if (passed)
        {
            retries = 0;
            up = true;
        }
        else if (up)
        {
            if (retries < timing.retry())
            {
                retries++;
            }
            else
            {
                up = false;
                retries = 0;
            }
        }
        return retries > 0 ? timing.delayBeforeRetryMs() : timing.delayLoopMs();
    }

    private long http(final boolean passed, final CheckTiming timing)
    {
        final long failedDelayMs = Math.max(timing.delayBeforeRetryMs(), timing.delayLoopMs());
        if (passed)
        {
            retries = 0;
            hasRun = true;
            if (failed)
            {
                failed = false;
            }
            else
            {
                up = true;
            }
            return timing.delayLoopMs();
        }
        if (up || !hasRun)
        {
            hasRun = true;
            retries++;
            if (retries > timing.retry())
            {
                up = false;
                failed = true;
                return failedDelayMs;
            }
            return timing.delayBeforeRetryMs();
        }
        return failed ? failedDelayMs : timing.delayBeforeRetryMs();
    }

    @Override
    public String toString()
    {
        return rule + (up ? " up" : " down") + ", retries " + retries + (failed ? ", failed" : "");
    }
}
