package io.jlvs.healthcheck;

import io.jlvs.config.CheckConnection;
import io.jlvs.config.HealthCheckConfig;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.MiscCheck;
import io.jlvs.config.PathCheck;
import io.jlvs.config.TcpCheck;
import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CheckerFactory} whose checkers answer what the test set for their target ({@code 10.0.0.2:80} for a
 * connecting checker, the script path for a MISC_CHECK, {@code path 10.0.0.2} for a PATH_CHECK; passing by default)
 * and log each attempt with the manual clock's time.
 */
final class ScriptedCheckers implements CheckerFactory
{
    /** One attempt: which target, at which elapsed millisecond. */
    record Attempt(String target, long atMs)
    {
    }

    private final ManualScheduler clock;
    private final Map<String, CheckOutcome> outcomes = new HashMap<>();
    private final List<Attempt> attempts = new ArrayList<>();

    ScriptedCheckers(final ManualScheduler clock)
    {
        this.clock = clock;
    }

    void pass(final String target)
    {
        outcomes.put(target, CheckOutcome.pass());
    }

    void fail(final String target)
    {
        outcomes.put(target, CheckOutcome.fail("scripted failure"));
    }

    void answer(final String target, final CheckOutcome outcome)
    {
        outcomes.put(target, outcome);
    }

    /** Elapsed times of the attempts on {@code target}, in order. */
    List<Long> attemptTimesMs(final String target)
    {
        final List<Long> times = new ArrayList<>();
        for (final Attempt attempt : attempts)
        {
            if (attempt.target().equals(target))
            {
                times.add(attempt.atMs());
            }
        }
        return times;
    }

    int attemptCount()
    {
        return attempts.size();
    }

    @Override
    public Checker create(final HealthCheckConfig config)
    {
        final String target = target(config);
        return () ->
        {
            attempts.add(new Attempt(target, clock.elapsedMs()));
            return outcomes.getOrDefault(target, CheckOutcome.pass());
        };
    }

    static String target(final HealthCheckConfig config)
    {
        if (config instanceof MiscCheck)
        {
            return ((MiscCheck)config).path();
        }
        if (config instanceof PathCheck)
        {
            return "path " + Ipv4.toString(((PathCheck)config).realServer());
        }
        final CheckConnection connection = config instanceof TcpCheck ? ((TcpCheck)config).connection() :
            ((HttpGetCheck)config).connection();
        return Ipv4.toString(connection.connectIp()) + ':' + connection.connectPort();
    }
}
