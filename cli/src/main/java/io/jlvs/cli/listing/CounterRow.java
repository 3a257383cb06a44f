package io.jlvs.cli.listing;

/**
 * One dataplane or transport counter for {@code jlvs list --counters}.
 *
 * @param name  the enum constant's name, stable for scripts ({@code DROP_TRUNCATED}).
 * @param label what it counts, for people.
 * @param drop  whether it counts frames dropped (or ignored) for one reason.
 */
public record CounterRow(String name, String label, long value, boolean drop)
{
}
