package io.jlvs.healthcheck;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CheckScheduler} whose clock moves only when the test says so: {@link #advanceMs} runs every task that
 * falls due, in due order, on the calling thread, with the clock set to each task's due time while it runs.
 */
final class ManualScheduler implements CheckScheduler
{
    /** Starts away from 0 so that no code can confuse "time 0" with "unset". */
    private static final long START_NS = TimeUnit.SECONDS.toNanos(1_000);

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowNs = START_NS;
    private long sequence;
    private boolean closed;

    private static final class Task implements Comparable<Task>
    {
        final long dueNs;
        final long sequence;
        final Runnable body;
        boolean cancelled;

        Task(final long dueNs, final long sequence, final Runnable body)
        {
            this.dueNs = dueNs;
            this.sequence = sequence;
            this.body = body;
        }

        @Override
        public int compareTo(final Task other)
        {
            final int byTime = Long.compare(dueNs, other.dueNs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    @Override
    public long nowNs()
    {
        return nowNs;
    }

    /** Milliseconds since the scheduler was made. */
    long elapsedMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(nowNs - START_NS);
    }

    @Override
    public Scheduled schedule(final Runnable task, final long delayNs)
    {
        final Task scheduled = new Task(nowNs + Math.max(0, delayNs), sequence++, task);
        if (!closed)
        {
            queue.add(scheduled);
        }
        return () -> scheduled.cancelled = true;
    }

    /** Moves the clock forward by {@code ms}, running what falls due on the way. */
    void advanceMs(final long ms)
    {
        final long targetNs = nowNs + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!queue.isEmpty() && queue.peek().dueNs <= targetNs)
        {
            final Task task = queue.poll();
            if (task.cancelled)
            {
                continue;
            }
            nowNs = task.dueNs;
            task.body.run();
        }
        nowNs = targetNs;
    }

    /** Tasks waiting, cancelled ones excluded. */
    int pending()
    {
        int count = 0;
        for (final Task task : queue)
        {
            if (!task.cancelled)
            {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close()
    {
        closed = true;
        queue.clear();
    }
}
