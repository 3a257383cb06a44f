package io.jlvs.scheduler;

/**
 * A source of {@link System#nanoTime()}-domain timestamps for the schedulers that age state (lblc, lblcr), so that
 * tests drive time instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock
{
    /** The JVM's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
