package io.jlvs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code jlvs list} against a running director's control socket, as an operator runs it, for the lab tests. */
final class ControlListing
{
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_MS = 50;

    private final Path socket;

    ControlListing(final Path socket)
    {
        this.socket = socket;
    }

    /** {@code jlvs list OPTIONS --control SOCKET}; its lines (the command must succeed). */
    List<String> list(final String... options)
    {
        final List<String> args = new ArrayList<>(List.of("list", "--control", socket.toString()));
        args.addAll(List.of(options));
        final Cli cli = Cli.run(args.toArray(new String[0]));
        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        return cli.out().lines().toList();
    }

    /**
     * Lists until the lines match, for at most 10 s (the forwarding threads count, and connections reach their
     * closing states, as they go); the last lines either way, for the caller to assert on.
     */
    List<String> awaitList(final Predicate<List<String>> matches, final String... options) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        List<String> last = list(options);
        while (!matches.test(last) && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(POLL_MS);
            last = list(options);
        }
        return last;
    }
}
