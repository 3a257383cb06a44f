package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static io.jlvs.scheduler.Servers.picks;
import static io.jlvs.scheduler.Servers.withWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PowerOfTwoChoicesSchedulerTest
{
    private static final long SEED = 0x5EED_2024L;
    private static final int DRAWS = 9000;

    private static int count(final String picks, final char letter)
    {
        return (int)picks.chars().filter(c -> c == letter).count();
    }

    @Test
    void withEqualLoadsTheFirstDrawWinsInProportionToWeightPlusOne()
    {
        System.out.println("twos seed=" + SEED);
        // total = 1 + 3 + 1 = 5 draws 0..4: 0 and 1 land on A, 2..4 on B, so A gets 2/5 of the picks.
        final String picks = picks(new PowerOfTwoChoicesScheduler(withWeights(1, 3), SEED), DRAWS);
        final int a = count(picks, 'A');
        assertTrue(Math.abs(a - DRAWS * 2 / 5) < DRAWS / 20, "A=" + a + " seed=" + SEED);
        assertEquals(DRAWS, a + count(picks, 'B'));
    }

    @Test
    void theLessLoadedOfTheTwoDrawsWins()
    {
        System.out.println("twos seed=" + SEED);
        final RealServer[] servers = withWeights(1, 1);
        servers[0].addActiveConns(1);
        // Draws 0, 1 land on A and 2 on B: A only when both draws are A, 4/9 of the time.
        final String picks = picks(new PowerOfTwoChoicesScheduler(servers, SEED), DRAWS);
        final int a = count(picks, 'A');
        assertTrue(Math.abs(a - DRAWS * 4 / 9) < DRAWS / 20, "A=" + a + " seed=" + SEED);
    }

    @Test
    void sameSeedReplaysTheSamePicks()
    {
        final RealServer[] servers = withWeights(1, 2, 3, 4);
        final Scheduler first = new PowerOfTwoChoicesScheduler.Factory(SEED).create(servers, SchedulerFlags.NONE);
        final Scheduler second = new PowerOfTwoChoicesScheduler.Factory(SEED).create(servers, SchedulerFlags.NONE);
        assertEquals(picks(first, 200), picks(second, 200));
    }

    @Test
    void neverPicksQuiescedOverloadedOrUnavailableServers()
    {
        System.out.println("twos seed=" + SEED);
        final RealServer[] servers = withWeights(0, 5, 5, 1);
        servers[1].overloaded(true);
        servers[2].enabled(false);
        assertEquals("D".repeat(100), picks(new PowerOfTwoChoicesScheduler(servers, SEED), 100));
        servers[3].neighbourReachable(false);
        assertEquals("-", picks(new PowerOfTwoChoicesScheduler(servers, SEED), 1));
    }
}
