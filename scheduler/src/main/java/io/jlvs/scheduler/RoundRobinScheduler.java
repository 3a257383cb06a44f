package io.jlvs.scheduler;

/**
 * IPVS {@code rr} ({@code net/netfilter/ipvs/ip_vs_rr.c}): gives each new connection to the next server in list
 * order, skipping quiesced (weight 0), overloaded and unavailable servers.
 * <p>
 * The cursor remembers the last server picked. A search starts after it, runs to the end of the list and, unless
 * it started at the head, wraps round once and stops after checking the cursor's own server again. Rebuilt for a
 * weight or set change with {@link SchedulerFactory#create(RealServer[], SchedulerFlags, Scheduler)}, the cursor
 * stays on the same server, as the kernel's does (rr has no {@code upd_dest}); if that server was removed it moves
 * to the nearest earlier one still present ({@code ip_vs_rr_del_dest}).
 */
public final class RoundRobinScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "rr";

    /** The cursor before the first pick: the list head, so the first search starts at the first server. */
    private static final int HEAD = -1;

    private final RealServer[] servers;
    /** Position of the last server picked, or {@link #HEAD}; forwarding thread only. */
    private int cursor;

    public RoundRobinScheduler(final RealServer[] servers)
    {
        this(servers, null);
    }

    /** Control plane: a new instance that takes over {@code previous}'s cursor (null: start at the head). */
    public RoundRobinScheduler(final RealServer[] servers, final RoundRobinScheduler previous)
    {
        final ServerIndex index = new ServerIndex(servers);
        this.servers = servers;
        this.cursor = previous == null ? HEAD : previous.cursorIn(index);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RealServer select(
        final int protocol, final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        final RealServer[] servers = this.servers;
        final int start = cursor;
        int position = start;
        // A start at the head needs one pass; any other start needs a second pass to come back round to itself.
        final int passes = start == HEAD ? 1 : 2;
        for (int pass = 0; pass < passes; pass++)
        {
            for (position = position + 1; position < servers.length; position++)
            {
                final RealServer server = servers[position];
                if (server.weight() > 0 && !server.isOverloaded() && server.isAvailable())
                {
                    cursor = position;
                    return server;
                }
                if (position == start)
                {
                    return null;
                }
            }
            position = HEAD;
        }
        return null;
    }

    /**
     * Control plane: where this instance's cursor lands in a new server array. Reads a field the forwarding thread
     * writes; any recent value is as good as another, since the switch-over instant is arbitrary anyway.
     */
    private int cursorIn(final ServerIndex newIndex)
    {
        for (int position = cursor; position > HEAD && position < servers.length; position--)
        {
            final int newPosition = newIndex.positionOf(servers[position].id());
            if (newPosition >= 0)
            {
                return newPosition;
            }
        }
        return HEAD;
    }

    /** Registers {@code rr}. */
    public static final class Factory implements SchedulerFactory
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new RoundRobinScheduler(servers);
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
        {
            return new RoundRobinScheduler(servers, previous instanceof RoundRobinScheduler ?
                (RoundRobinScheduler)previous : null);
        }
    }
}
