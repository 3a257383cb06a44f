package io.jlvs.scheduler;

/**
 * IPVS {@code wrr} ({@code net/netfilter/ipvs/ip_vs_wrr.c}): round robin in which a server of weight w gets w
 * connections per round.
 * <p>
 * The kernel's algorithm: {@code di} is the gcd of the positive weights, {@code mw} the maximum weight less
 * {@code di - 1}, {@code cw} the current weight. Each pass over the list picks, in order, the servers whose weight
 * is {@code >= cw}; after a pass {@code cw} drops by {@code di}, and when it reaches 0 it restarts at {@code mw}.
 * A search that finds nothing stops after every server was checked at {@code cw <= di}. Overloaded and
 * unavailable servers are skipped; weight 0 never reaches {@code cw >= 1}.
 * <p>
 * {@code di} and {@code mw} are computed when the instance is built, over the enabled servers (IPVS's destination
 * list); weights are read live at each pick, as the kernel does. Rebuilt with
 * {@link SchedulerFactory#create(RealServer[], SchedulerFlags, Scheduler)}, it follows
 * {@code ip_vs_wrr_dest_changed}: the cursor goes back to the head, {@code cw} is kept, clamped to the new
 * {@code mw} and rounded to the new {@code di}.
 */
public final class WeightedRoundRobinScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "wrr";

    /** The cursor before the first pick of a round: the list head. */
    private static final int HEAD = -1;
    /** No stop position armed yet. */
    private static final int NO_STOP = -2;

    private final RealServer[] servers;
    /** Decreasing interval: gcd of the positive weights, 1 when none. */
    private final int di;
    /** Maximum weight less (di - 1), so that the last pass of a round runs at cw = 1. */
    private final int mw;
    /** Position of the last server picked, or {@link #HEAD}; forwarding thread only. */
    private int cursor;
    /** Current weight; forwarding thread only. */
    private int cw;

    public WeightedRoundRobinScheduler(final RealServer[] servers)
    {
        this(servers, null);
    }

    /** Control plane: a new instance that keeps {@code previous}'s current weight (null: a new service). */
    public WeightedRoundRobinScheduler(final RealServer[] servers, final WeightedRoundRobinScheduler previous)
    {
        this.servers = ServerIndex.requireServers(servers);
        this.di = gcdWeight(servers);
        this.mw = maxWeight(servers) - (di - 1);
        this.cursor = HEAD;
        if (previous == null)
        {
            this.cw = mw;
        }
        else
        {
            // A plain read of the forwarding thread's field: any recent value will do, the switch-over instant
            // being arbitrary anyway.
            final int previousCw = previous.cw;
            if (previousCw > mw || previousCw == 0)
            {
                this.cw = mw;
            }
            else if (di > 1)
            {
                // Lands just above a multiple of the new di, so the next pass runs at one.
                this.cw = (previousCw / di) * di + 1;
            }
            else
            {
                this.cw = previousCw;
            }
        }
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
        if (mw == 0)
        {
            return null;
        }
        final int last = cursor;
        int position = last;
        int stop = NO_STOP;
        boolean lastPass = false;
        boolean restarted = false;
        while (true)
        {
            for (position = position + 1; position < servers.length; position++)
            {
                final RealServer server = servers[position];
                if (server.weight() >= cw && !server.isOverloaded() && server.isAvailable())
                {
                    cursor = position;
                    return server;
                }
                if (position == stop)
                {
                    cursor = position;
                    return null;
                }
            }
            position = HEAD;
            cw -= di;
            if (cw <= 0)
            {
                cw = mw;
                // Stop when the last pass (every server at cw <= di) already ran, or when this search started at
                // the head, so that its first round already checked every server at cw = 1.
                if (lastPass || last == HEAD)
                {
                    cursor = HEAD;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && last != HEAD)
            {
                // The servers after 'last' were checked at cw = 1 before the restart; now check those up to it.
                stop = last;
            }
        }
    }

    /** The current weight, for tests and listings. */
    int currentWeight()
    {
        return cw;
    }

    private static int gcdWeight(final RealServer[] servers)
    {
        int g = 0;
        for (final RealServer server : servers)
        {
            final int weight = server.weight();
            if (weight > 0 && server.isEnabled())
            {
                g = g > 0 ? gcd(weight, g) : weight;
            }
        }
        return g > 0 ? g : 1;
    }

    private static int maxWeight(final RealServer[] servers)
    {
        int max = 0;
        for (final RealServer server : servers)
        {
            if (server.isEnabled())
            {
                max = Math.max(max, server.weight());
            }
        }
        return max;
    }

    static int gcd(final int a, final int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            final int r = x % y;
            x = y;
            y = r;
        }
        return x;
    }

    /** Registers {@code wrr}. */
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
            return new WeightedRoundRobinScheduler(servers);
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
        {
            return new WeightedRoundRobinScheduler(servers, previous instanceof WeightedRoundRobinScheduler ?
                (WeightedRoundRobinScheduler)previous : null);
        }
    }
}
