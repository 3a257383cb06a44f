package io.jlvs.healthcheck;

import io.jlvs.dataplane.service.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HealthMonitor} on a manual clock with scripted checkers and recorded notifications and publications, for
 * tests that count attempts and delays exactly.
 */
final class MonitorHarness implements AutoCloseable
{
    /** One call of the callback: when, and what. */
    record Publication(long atMs, List<VirtualServiceSpec> specs)
    {
    }

    final ManualScheduler clock = new ManualScheduler();
    final ScriptedCheckers checkers = new ScriptedCheckers(clock);
    final RecordingNotifier notifier = new RecordingNotifier();
    final List<Publication> publications = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    final HealthMonitor monitor;

    MonitorHarness(final String keepalivedConf)
    {
        this(keepalivedConf, HealthMonitorOptions.DEFAULT_BOOTSTRAP_DELAY_MS);
    }

    MonitorHarness(final String keepalivedConf, final long bootstrapDelayMs)
    {
        final long seed = System.nanoTime();
        log.add("random seed " + seed);
        monitor = new HealthMonitor(TestServices.parse(keepalivedConf),
            specs -> publications.add(new Publication(clock.elapsedMs(), specs)),
            HealthMonitorOptions.defaults()
                .withScheduler(clock)
                .withCheckers(checkers)
                .withNotifier(notifier)
                .withBootstrapDelayMs(bootstrapDelayMs)
                .withRandomSeed(seed)
                .withLog(line -> log.add(clock.elapsedMs() + " ms: " + line)));
    }

    /** The real servers of service {@code index} in the last publication, as {@code ip:port@weight}. */
    List<String> servers(final int index)
    {
        return TestServices.servers(lastPublication().specs().get(index));
    }

    Publication lastPublication()
    {
        if (publications.isEmpty())
        {
            throw new AssertionError("nothing published yet");
        }
        return publications.get(publications.size() - 1);
    }

    @Override
    public void close()
    {
        monitor.close();
    }

    @Override
    public String toString()
    {
        return String.join("\n", log);
    }
}
