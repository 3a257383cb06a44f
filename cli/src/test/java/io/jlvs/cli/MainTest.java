package io.jlvs.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest
{
    @ParameterizedTest
    @ValueSource(strings = {"run", "list", "demo", "doctor", "tunnel-endpoint"})
    void everySubcommandPrintsItsHelpAndExitsZero(final String command)
    {
        final Cli cli = Cli.run(command, "--help");

        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        assertTrue(cli.out().startsWith("Usage: jlvs " + command), cli.toString());
        assertEquals("", cli.err());
    }

    @Test
    void topLevelHelpNamesEverySubcommandAndTheExitCodes()
    {
        final Cli cli = Cli.run("--help");

        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        for (final String command : new String[] {"run", "list", "demo", "doctor", "tunnel-endpoint"})
        {
            assertTrue(cli.out().contains("\n  " + command + " "), command + " in\n" + cli.out());
        }
        assertTrue(cli.out().contains("2   usage or configuration error"), cli.out());
    }

    @Test
    void runHelpDocumentsBackupAndPeerLearningWithThePingPongTheyAreAbout()
    {
        final Cli cli = Cli.run("run", "--help");

        assertTrue(cli.out().contains("--backup") && cli.out().contains("--no-learn-peers"), cli.out());
        assertTrue(cli.out().contains("ping-pong"), cli.out());
    }

    @Test
    void benchIsListedAndPointsAtTheBenchmarksJarWithTheHarnessArguments()
    {
        final Cli help = Cli.run("--help");
        final Cli bench = Cli.run("bench", "--seconds", "5", "--short");

        assertTrue(help.out().contains("\n  bench "), help.out());
        assertEquals(ExitCodes.USAGE, bench.exitCode(), bench.toString());
        assertTrue(bench.err().startsWith("jlvs: bench runs from the benchmarks jar, not the application's: " +
            "bin/jlvs bench --seconds 5 --short "), bench.toString());
        assertTrue(bench.err().contains("io.jlvs.bench.harness.Main --seconds 5 --short\n"), bench.toString());
        assertEquals("", bench.out());
    }

    @Test
    void noSubcommandIsAUsageError()
    {
        final Cli cli = Cli.run();

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("Usage: jlvs"), cli.toString());
    }

    @Test
    void unknownOptionIsAUsageError()
    {
        final Cli cli = Cli.run("list", "--sideways");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("Unknown option: '--sideways'"), cli.toString());
    }

    @Test
    void runWithoutItsRequiredOptionsIsAUsageError()
    {
        final Cli cli = Cli.run("run");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("--config") && cli.err().contains("--interface"), cli.toString());
    }

    @Test
    void versionPrintsTheVersion()
    {
        final Cli cli = Cli.run("--version");

        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        assertEquals(Main.VERSION + "\n", cli.out());
    }
}
