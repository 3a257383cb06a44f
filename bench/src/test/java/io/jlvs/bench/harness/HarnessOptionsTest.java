package io.jlvs.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HarnessOptionsTest
{
    @Test
    void defaultsToTenSecondsAndTwoWorkersForTheMultiWorkerCases()
    {
        final HarnessOptions options = HarnessOptions.parse();
        assertEquals(HarnessOptions.DEFAULT_SECONDS, options.measureSeconds());
        assertEquals(2, options.workers());
        assertFalse(options.shortRun());
    }

    @Test
    void shortRunUsesTheShortWindowUnlessSecondsAreGiven()
    {
        assertEquals(HarnessOptions.SHORT_SECONDS, HarnessOptions.parse("--short").measureSeconds());
        assertEquals(3, HarnessOptions.parse("--short", "--seconds", "3").measureSeconds());
        assertTrue(HarnessOptions.parse("--short").warmUpNs() < HarnessOptions.parse().warmUpNs());
    }

    @Test
    void workersSetTheMultiWorkerCases()
    {
        assertEquals(4, HarnessOptions.parse("--workers", "4").workers());
        assertEquals(1, HarnessOptions.parse("--workers", "1").workers());
    }

    @Test
    void refusesUnknownArgumentsMissingValuesAndOutOfRangeNumbers()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--fast"))
            .getMessage().contains("--fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--seconds"))
            .getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--seconds", "ten"))
            .getMessage().contains("'ten'"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--seconds", "0"));
        assertThrows(IllegalArgumentException.class,
            () -> HarnessOptions.parse("--seconds", Integer.toString(HarnessOptions.MAX_SECONDS + 1)));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--workers", "0"));
    }
}
