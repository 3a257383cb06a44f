package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckerStateTest
{
    private static final long DELAY_BEFORE_RETRY_MS = 1_000;
    private static final long DELAY_LOOP_MS = 6_000;
    private static final CheckTiming RETRY_2 = new CheckTiming(2, DELAY_BEFORE_RETRY_MS, DELAY_LOOP_MS, 0, false);
    private static final CheckTiming RETRY_0 = new CheckTiming(0, DELAY_BEFORE_RETRY_MS, DELAY_LOOP_MS, 0, false);

    @Test
    void tcpCheckGoesDownOnTheThirdFailureWithRetryTwoEachSpacedByDelayBeforeRetry()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.TCP, true);
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertTrue(state.up());
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertTrue(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
        assertFalse(state.up());
    }

    @Test
    void tcpCheckWithoutRetryGoesDownOnTheFirstFailure()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.TCP, true);
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_0));
        assertFalse(state.up());
    }

    @Test
    void passingAttemptResetsTheRetryCount()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.TCP, true);
        state.onResult(false, RETRY_2);
        state.onResult(false, RETRY_2);
        assertEquals(DELAY_LOOP_MS, state.onResult(true, RETRY_2));
        assertEquals(0, state.retries());
        state.onResult(false, RETRY_2);
        assertTrue(state.up(), "one failure after a pass is a new series");
    }

    @Test
    void downTcpCheckComesBackOnOnePass()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.TCP, false);
        assertEquals(DELAY_LOOP_MS, state.onResult(true, RETRY_2));
        assertTrue(state.up());
    }

    @Test
    void downTcpCheckKeepsRetryingInSeriesLikeKeepalived()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.TCP, false);
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
        assertFalse(state.up());
    }

    @Test
    void downMiscCheckDoesNotCountRetries()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.MISC, false);
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
        assertEquals(0, state.retries());
        assertFalse(state.up());
    }

    @Test
    void miscCheckGoesDownAfterRetryPlusOneFailures()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.MISC, true);
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertTrue(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
        assertFalse(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(true, RETRY_2));
        assertTrue(state.up());
    }

    @Test
    void httpCheckGoesDownAfterRetryPlusOneFailuresThenRetriesAtTheLongerOfLoopAndRetryDelay()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.HTTP, true);
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertEquals(DELAY_BEFORE_RETRY_MS, state.onResult(false, RETRY_2));
        assertTrue(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
        assertFalse(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(false, RETRY_2));
    }

    @Test
    void failedHttpCheckNeedsTwoPassesToComeBackAsInKeepalived()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.HTTP, true);
        state.onResult(false, RETRY_0);
        assertFalse(state.up());
        assertEquals(DELAY_LOOP_MS, state.onResult(true, RETRY_0));
        assertFalse(state.up(), "the first pass only clears the failed url");
        assertEquals(DELAY_LOOP_MS, state.onResult(true, RETRY_0));
        assertTrue(state.up());
    }

    @Test
    void alphaHttpCheckComesUpOnItsFirstPass()
    {
        final CheckerState state = new CheckerState(CheckerState.Rule.HTTP, false);
        state.onResult(true, RETRY_2);
        assertTrue(state.up());
    }

    @Test
    void newCheckerOnFailingServerNeedsOneFailureOnly()
    {
        for (final CheckerState.Rule rule : CheckerState.Rule.values())
        {
            final CheckerState state = new CheckerState(rule, true);
            state.oneFailureIsEnough(RETRY_2.retry());
            state.onResult(false, RETRY_2);
            assertFalse(state.up(), rule.toString());
        }
    }
}
