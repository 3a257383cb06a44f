package io.jlvs.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jlvs demo}'s arguments are checked before any namespace is built (the lab run itself is the demo). */
class DemoCommandTest
{
    @Test
    void zeroRequestsIsAUsageError()
    {
        final Cli cli = Cli.run("demo", "--requests", "0");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("--requests must be 1..10000, requests=0"), cli.toString());
        assertEquals("", cli.out(), "nothing built");
    }

    @Test
    void negativeWeightIsAUsageError()
    {
        final Cli cli = Cli.run("demo", "--weights", "3,-1,1");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("weights must be >= 0, weights=3,-1,1"), cli.toString());
    }

    @Test
    void workersOutsideOneToSixtyFourAreAUsageError()
    {
        final Cli cli = Cli.run("demo", "--workers", "65");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("--workers must be 1..64, workers=65"), cli.toString());
        assertEquals("", cli.out(), "nothing built");
    }

    @Test
    void unknownSchedulerIsAUsageErrorNamingTheKnownOnes()
    {
        final Cli cli = Cli.run("demo", "--scheduler", "fastest");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("unknown scheduler 'fastest', known: [") && cli.err().contains("wrr"),
            cli.toString());
    }
}
