package io.jlvs.cli;

import io.jlvs.cli.control.ControlClient;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code jlvs run} as its own process in a lab's director namespace, serving a keepalived.conf on the lab's director
 * interface, asked through its control socket as {@code jlvs list} asks it.
 */
final class LabDirector implements AutoCloseable
{
    /** Small, so the child's connection table is cheap; printed as ipvsadm's "size=". */
    static final int CONNECTION_CAPACITY = 4096;
    /** A fresh JVM loads the class path and opens its packet ring before the socket answers. */
    private static final long START_WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long CONTROL_TIMEOUT_MS = 2_000;
    private static final long POLL_MS = 50;

    private final JlvsProcess process;
    private final Path control;

    private LabDirector(final JlvsProcess process, final Path control)
    {
        this.process = process;
        this.control = control;
    }

    /**
     * Starts {@code jlvs run --config CONFIG} on the lab's director interface, with {@code options} after the others
     * ({@code --workers 2}); its files go to {@code directory}.
     */
    static LabDirector start(final Lab lab, final Path config, final Path directory, final String... options)
        throws IOException
    {
        final Path control = directory.resolve("control.sock");
        final List<String> args = new ArrayList<>(List.of("run",
            "--config", config.toString(),
            "--interface", lab.directorInterface(),
            "--control", control.toString(),
            "--connections", Integer.toString(CONNECTION_CAPACITY)));
        args.addAll(List.of(options));
        final JlvsProcess process = JlvsProcess.start(lab.directorNamespace(), directory, "director",
            args.toArray(new String[0]));
        return new LabDirector(process, control);
    }

    JlvsProcess process()
    {
        return process;
    }

    /**
     * Waits until the control socket answers and each of {@code addresses} has a REACHABLE neighbour entry: before
     * that, the director gives such a server no traffic.
     */
    void awaitNeighboursReachable(final int... addresses) throws InterruptedException
    {
        final List<String> last = await("list neighbours", lines ->
        {
            for (final int address : addresses)
            {
                final String start = LabAddresses.formatIpv4(address) + ' ';
                if (lines.stream().noneMatch(line -> line.startsWith(start) && line.endsWith(" REACHABLE")))
                {
                    return false;
                }
            }
            return true;
        }, START_WAIT_NS);
        for (final int address : addresses)
        {
            final String start = LabAddresses.formatIpv4(address) + ' ';
            if (last.stream().noneMatch(line -> line.startsWith(start) && line.endsWith(" REACHABLE")))
            {
                throw new AssertionError("no REACHABLE neighbour " + LabAddresses.formatIpv4(address) + " in:\n" +
                    String.join("\n", last) + "\n" + process.output());
            }
        }
    }

    /** One control request ({@code list persistent-conn}, {@code reload}), its answer. */
    String request(final String request) throws IOException
    {
        return ControlClient.request(control, request, CONTROL_TIMEOUT_MS);
    }

    /**
     * Asks {@code request} until the answer's lines match, the process dies or {@code waitNs} is up; returns the
     * last answer (empty when the socket never answered).
     */
    List<String> await(final String request, final Predicate<List<String>> matches, final long waitNs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + waitNs;
        List<String> last = List.of();
        while (System.nanoTime() - deadline < 0)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("jlvs run exited:\n" + process.output());
            }
            try
            {
                last = request(request).lines().toList();
                if (matches.test(last))
                {
                    return last;
                }
            }
            catch (final IOException notYet)
            {
                // The socket is not bound yet (the JVM is starting) or the director is busy: ask again.
            }
            Thread.sleep(POLL_MS);
        }
        return last;
    }

    @Override
    public void close() throws InterruptedException
    {
        process.close();
    }
}
