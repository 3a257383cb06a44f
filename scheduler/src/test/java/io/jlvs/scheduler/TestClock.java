package io.jlvs.scheduler;

/** A clock the test moves by hand. */
final class TestClock implements NanoClock
{
    static final long MINUTE_NS = 60_000_000_000L;

    long nowNs;

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    TestClock atMinute(final long minute)
    {
        nowNs = minute * MINUTE_NS;
        return this;
    }
}
