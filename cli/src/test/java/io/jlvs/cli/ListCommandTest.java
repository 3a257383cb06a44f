package io.jlvs.cli;

import io.jlvs.cli.control.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jlvs list} as a client: what it asks for and how it passes the answer on. */
class ListCommandTest
{
    @TempDir
    Path directory;

    @Test
    void asksForTheChosenViewsAndPrintsTheAnswerAsItCame() throws IOException
    {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request ->
        {
            requests.add(request);
            return "the listing  \n";
        }))
        {
            final Cli plain = Cli.run("list", "--control", path.toString(), "-n");
            final Cli stats = Cli.run("list", "--control", path.toString(), "--stats", "--exact");
            final Cli connections = Cli.run("list", "--control", path.toString(), "-nc", "--timeout");
            final Cli counters = Cli.run("list", "--control", path.toString(), "--counters");
            final Cli neighbours = Cli.run("list", "--control", path.toString(), "--neighbours");
            final Cli rate = Cli.run("list", "--control", path.toString(), "--rate", "--exact");
            final Cli latency = Cli.run("list", "--control", path.toString(), "--latency");
            final Cli latencyExact = Cli.run("list", "--control", path.toString(), "--latency", "--exact");

            for (final Cli cli : List.of(plain, stats, connections, counters, neighbours, rate, latency, latencyExact))
            {
                assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
                assertEquals("the listing  \n", cli.out());
                assertEquals("", cli.err());
            }
        }
        assertEquals(List.of("list", "list stats exact", "list connections timeout", "list counters",
            "list neighbours", "list rate exact", "list latency", "list latency exact"), requests);
    }

    @Test
    void anErrorAnswerGoesToStderrAndExitsOne() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request ->
        {
            throw new IllegalArgumentException("the forwarding thread did not answer within 5000 ms");
        }))
        {
            final Cli cli = Cli.run("list", "--control", path.toString(), "-c");

            assertEquals(ExitCodes.FAILURE, cli.exitCode(), cli.toString());
            assertEquals("jlvs: the forwarding thread did not answer within 5000 ms\n", cli.err());
            assertEquals("", cli.out());
        }
    }

    @Test
    void noDirectorOnTheSocketExitsOneNamingThePath()
    {
        final Path path = directory.resolve("nobody.sock");

        final Cli cli = Cli.run("list", "--control", path.toString());

        assertEquals(ExitCodes.FAILURE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("jlvs: cannot reach the control socket " + path + ": "), cli.toString());
    }

    @Test
    void twoServiceViewsAtOnceAreAUsageError()
    {
        final Cli cli = Cli.run("list", "--control", directory.resolve("x.sock").toString(), "--stats",
            "--thresholds");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("choose one of --stats, --rate, --thresholds, --persistent-conn and --latency"),
            cli.toString());
    }

    @Test
    void latencyWithAnotherServiceViewIsAUsageError()
    {
        final Cli cli = Cli.run("list", "--control", directory.resolve("x.sock").toString(), "--latency", "--rate");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().contains("choose one of --stats, --rate, --thresholds, --persistent-conn and --latency"),
            cli.toString());
    }
}
