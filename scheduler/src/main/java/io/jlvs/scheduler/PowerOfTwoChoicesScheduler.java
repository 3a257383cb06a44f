package io.jlvs.scheduler;

/**
 * IPVS {@code twos} ({@code net/netfilter/ipvs/ip_vs_twos.c}), power of two choices: draws two servers at random
 * in proportion to their weights and takes the one with less overhead per unit of weight.
 * <p>
 * As the kernel: {@code total} is the sum of the usable weights plus one; two draws {@code r1, r2} in
 * {@code [0, total)} each pick the first server at which the running sum of weights reaches them; the second
 * replaces the first when {@code w2 * overhead1 > w1 * overhead2}. Overloaded, quiesced and unavailable servers
 * do not take part.
 * <p>
 * Deviation: the kernel draws from {@code prandom_u32}; this class uses SplitMix64 seeded explicitly, so that a run
 * can be replayed ({@link #seed()}). It allocates nothing.
 */
public final class PowerOfTwoChoicesScheduler implements Scheduler
{
    /** The IPVS name. */
    public static final String NAME = "twos";

    /** SplitMix64's increment (2^64 / golden ratio) and finaliser constants. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long MIX_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_2 = 0x94D049BB133111EBL;
    private static final int MIX_SHIFT_1 = 30;
    private static final int MIX_SHIFT_2 = 27;
    private static final int MIX_SHIFT_3 = 31;
    /** The 32 high bits of a 64-bit draw, standing in for {@code prandom_u32()}. */
    private static final int HIGH_HALF = 32;
    /** Not yet chosen, as the kernel's {@code weight1 = -1}. */
    private static final int UNCHOSEN = -1;

    private final RealServer[] servers;
    private final long seed;
    /** PRNG state; forwarding thread only. */
    private long state;

    public PowerOfTwoChoicesScheduler(final RealServer[] servers, final long seed)
    {
        this.servers = ServerIndex.requireServers(servers);
        this.seed = seed;
        this.state = seed;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** The seed this instance started from, to print with a result that needs replaying. */
    public long seed()
    {
        return seed;
    }

    @Override
    public RealServer select(
        final int protocol, final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        final RealServer[] servers = this.servers;
        int totalWeight = 0;
        RealServer choice1 = null;
        for (final RealServer server : servers)
        {
            final int weight = server.weight();
            if (weight > 0 && !server.isOverloaded() && server.isAvailable())
            {
                totalWeight += weight;
                choice1 = server;
            }
        }
        if (choice1 == null)
        {
            return null;
        }
        // Plus one so that the draws cover 0..sum of weights inclusive, as the kernel's.
        totalWeight += 1;
        int rweight1 = Integer.remainderUnsigned(nextInt(), totalWeight);
        int rweight2 = Integer.remainderUnsigned(nextInt(), totalWeight);

        RealServer choice2 = null;
        int weight1 = UNCHOSEN;
        int weight2 = UNCHOSEN;
        long overhead1 = 0;
        long overhead2 = 0;
        for (final RealServer server : servers)
        {
            final int weight = server.weight();
            if (weight <= 0 || server.isOverloaded() || !server.isAvailable())
            {
                continue;
            }
            rweight1 -= weight;
            rweight2 -= weight;
            if (rweight1 <= 0 && weight1 == UNCHOSEN)
            {
                choice1 = server;
                weight1 = weight;
                overhead1 = server.overhead();
            }
            if (rweight2 <= 0 && weight2 == UNCHOSEN)
            {
                choice2 = server;
                weight2 = weight;
                overhead2 = server.overhead();
            }
            if (weight1 != UNCHOSEN && weight2 != UNCHOSEN)
            {
                break;
            }
        }
        if (choice2 != null && (long)weight2 * overhead1 > (long)weight1 * overhead2)
        {
            return choice2;
        }
        return choice1;
    }

    /** SplitMix64, high half. */
    private int nextInt()
    {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> MIX_SHIFT_1)) * MIX_1;
        z = (z ^ (z >>> MIX_SHIFT_2)) * MIX_2;
        return (int)((z ^ (z >>> MIX_SHIFT_3)) >>> HIGH_HALF);
    }

    /** Registers {@code twos}; seeds each instance from the clock unless given a seed. */
    public static final class Factory implements SchedulerFactory
    {
        /** Spreads consecutive clock readings so that services built together draw differently. */
        private static final long SEED_MIX = 0x2545F4914F6CDD1DL;

        private final boolean fixedSeed;
        private final long seed;

        public Factory()
        {
            this.fixedSeed = false;
            this.seed = 0;
        }

        /** Every instance starts from {@code seed}, so that a test or a measurement can be replayed. */
        public Factory(final long seed)
        {
            this.fixedSeed = true;
            this.seed = seed;
        }

        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new PowerOfTwoChoicesScheduler(servers, fixedSeed ? seed : System.nanoTime() * SEED_MIX);
        }
    }
}
