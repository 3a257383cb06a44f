package io.jlvs.cli.listing;

import java.util.List;

/**
 * One dataplane or transport counter for {@code jlvs list --counters}.
 *
 * @param name      the enum constant's name, stable for scripts ({@code DROP_TRUNCATED}).
 * @param label     what it counts, for people.
 * @param value     the sum over every forwarding worker.
 * @param drop      whether it counts frames dropped (or ignored) for one reason.
 * @param perWorker each worker's own count, in worker order, when the director runs more than one; else empty.
 */
public record CounterRow(String name, String label, long value, boolean drop, List<Long> perWorker)
{
    public CounterRow
    {
        perWorker = List.copyOf(perWorker);
    }

    /** A counter of a director with one worker, or a total: no per-worker counts. */
    public CounterRow(final String name, final String label, final long value, final boolean drop)
    {
        this(name, label, value, drop, List.of());
    }
}
