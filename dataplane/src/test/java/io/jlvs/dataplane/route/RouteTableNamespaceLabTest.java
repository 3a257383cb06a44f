package io.jlvs.dataplane.route;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Reads the routes of a namespace of its own from a thread that entered it: the table jlvs gets is the thread's
 * namespace's, not the process's (which {@code /proc/net/route} would show).
 */
class RouteTableNamespaceLabTest
{
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private static void ip(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0)
        {
            throw new IOException(command + " exited " + process.exitValue() + ": " + output);
        }
    }

    @Test
    void readsTheRoutesOfTheNamespaceTheReadingThreadIsIn() throws Exception
    {
        LabRequirements.assumeRoot();
        final String namespace = String.format("jl%06x-route", ThreadLocalRandom.current().nextInt(1 << 24));
        ip("netns", "add", namespace);
        try
        {
            ip("-n", namespace, "link", "add", "jr0", "type", "veth", "peer", "name", "jr1");
            ip("-n", namespace, "link", "set", "jr0", "up");
            ip("-n", namespace, "link", "set", "jr1", "up");
            ip("-n", namespace, "addr", "add", "198.18.77.1/24", "dev", "jr0");
            ip("-n", namespace, "route", "add", "198.19.77.0/24", "via", "198.18.77.254", "dev", "jr0");

            final RouteTable inside = NetworkNamespace.call(namespace, RouteTable::readCurrentThreadNamespace);
            final RouteTable process = RouteTable.read(RouteTable.PROCESS_ROUTE_FILE);

            assertEquals(FrameBuilder.address("198.18.77.254"), inside.nextHop(FrameBuilder.address("198.19.77.9")),
                inside.toString());
            assertEquals("jr0", inside.interfaceFor(FrameBuilder.address("198.19.77.9")));
            assertEquals(FrameBuilder.address("198.18.77.5"), inside.nextHop(FrameBuilder.address("198.18.77.5")));
            assertNotEquals("jr0", process.interfaceFor(FrameBuilder.address("198.19.77.9")),
                "the process's table is another namespace's: " + process);
        }
        finally
        {
            ip("netns", "del", namespace);
        }
    }
}
