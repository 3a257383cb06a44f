package io.jlvs.cli;

import io.jlvs.dataplane.transport.afpacket.FanoutByClient;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's workers with {@code jlvs run --workers 2} as its own process in the lab's director namespace: nine
 * clients, which the fanout group spreads over the two workers by address, each send requests to the VIP; every one
 * is answered, {@code list --counters} shows each worker forwarding its clients' frames (its column of
 * {@code NEW_CONNECTIONS} is exactly its clients' connections), and {@code list -c} merges both workers' connection
 * shards. Root only.
 */
class MultiWorkerRunLabTest
{
    private static final int WORKERS = 2;
    private static final int CLIENTS = 9;
    private static final int REQUESTS_PER_CLIENT = 4;
    /** Bounds every wait on the running director: it answers in milliseconds; this only stops a broken run. */
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path directory;

    private Lab lab;
    private LabDirector director;

    @BeforeEach
    void buildLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start(LabSpec.builder().clientCount(CLIENTS).withProbe(false).build());
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        try
        {
            // First: the process's packet sockets keep the director namespace alive.
            if (director != null)
            {
                director.close();
            }
        }
        finally
        {
            if (lab != null)
            {
                lab.close();
            }
        }
    }

    @Test
    void twoWorkersEachForwardTheirClientsAndEveryRequestIsAnswered() throws Exception
    {
        final Path config = directory.resolve("keepalived.conf");
        Files.writeString(config, config());
        director = LabDirector.start(lab, config, directory, "--workers", Integer.toString(WORKERS));
        try
        {
            director.process().awaitStdout(out -> out.contains(", " + WORKERS + " workers), control socket"),
                WAIT_NS);
            director.awaitNeighboursReachable(lab.realServerAddress(1), lab.realServerAddress(2),
                lab.realServerAddress(3));
            // The fanout program's choice for each client: the kernel takes its hash modulo the group's size.
            final long[] clientsOfWorker = new long[WORKERS];
            for (int k = 1; k <= CLIENTS; k++)
            {
                clientsOfWorker[(int)(FanoutByClient.hash(lab.client(k).address()) % WORKERS)]++;
            }
            assertTrue(clientsOfWorker[0] > 0 && clientsOfWorker[1] > 0, "the lab's clients hash to both workers");

            final Map<String, Integer> perServer = new TreeMap<>();
            for (int round = 0; round < REQUESTS_PER_CLIENT; round++)
            {
                for (int k = 1; k <= CLIENTS; k++)
                {
                    perServer.merge(lab.client(k).httpGet(lab.vip(), "/").trim(), 1, Integer::sum);
                }
            }
            assertEquals(Set.of(lab.realServerName(1), lab.realServerName(2), lab.realServerName(3)),
                perServer.keySet(), "every request answered by a real server: " + perServer);
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, perServer.values().stream().mapToInt(Integer::intValue).sum());

            final String newConnections = Long.toString((long)CLIENTS * REQUESTS_PER_CLIENT);
            final List<String> counters = listing().awaitList(
                lines -> newConnections.equals(column(lines, "NEW_CONNECTIONS", 1)),
                "--counters");
            assertEquals("Dataplane counters (interface " + lab.directorInterface() + ", " + WORKERS + " workers)",
                counters.get(0));
            for (int w = 0; w < WORKERS; w++)
            {
                final String text = String.join("\n", counters);
                assertTrue(Long.parseLong(column(counters, "FORWARDED", 2 + w)) > 0, "worker " + w + " forwarded\n" +
                    text);
                assertEquals(Long.toString(clientsOfWorker[w] * REQUESTS_PER_CLIENT),
                    column(counters, "NEW_CONNECTIONS", 2 + w), "worker " + w + " scheduled its clients\n" + text);
                assertTrue(Long.parseLong(column(counters, "RX_FRAMES", 2 + w)) > 0,
                    "worker " + w + "'s socket received\n" + text);
            }
            assertEquals(Long.parseLong(column(counters, "FORWARDED", 1)),
                Long.parseLong(column(counters, "FORWARDED", 2)) + Long.parseLong(column(counters, "FORWARDED", 3)));

            // list --latency: run's timer samples every worker's recorder every 2 s into one total.
            final List<String> latency = listing().awaitList(lines -> lines.size() == 4 &&
                column(lines, "Total", 2) != null && Long.parseLong(column(lines, "Total", 2)) > 0,
                "--latency", "--exact");
            final String latencyText = String.join("\n", latency);
            assertEquals(4, latency.size(), latencyText);
            assertEquals("Forwarding latency, RX to TX flush (nanoseconds)", latency.get(0));
            assertTrue(Long.parseLong(column(latency, "Total", 2)) > 0, latencyText);
            assertTrue(Long.parseLong(column(latency, "Total", 7)) > 0, "Max\n" + latencyText);

            // ipvsadm -L -n -c: both workers' shards, so every client's connections.
            final List<String> entries = listing().list("-c");
            final Set<String> clients = new HashSet<>();
            for (final String line : entries.subList(2, entries.size()))
            {
                clients.add(line.trim().split("\\s+")[3].split(":")[0]);
            }
            final Set<String> expected = new HashSet<>();
            for (int k = 1; k <= CLIENTS; k++)
            {
                expected.add(LabAddresses.formatIpv4(lab.client(k).address()));
            }
            assertEquals(expected, clients, String.join("\n", entries));
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, entries.size() - 2, String.join("\n", entries));
        }
        catch (final Exception | AssertionError ex)
        {
            System.out.println(director.process().output());
            throw ex;
        }
    }

    /** Column {@code index} of the line named {@code name} (0 is the name, 1 the total, 2 + w worker w's), or null. */
    private static String column(final List<String> lines, final String name, final int index)
    {
        for (final String line : lines)
        {
            final String[] columns = line.trim().split("\\s+");
            if (columns[0].equals(name) && columns.length > index)
            {
                return columns[index];
            }
        }
        return null;
    }

    /** rr over the lab's three real servers. */
    private String config()
    {
        final StringBuilder text = new StringBuilder();
        text.append("virtual_server ").append(LabAddresses.formatIpv4(lab.vip())).append(' ').append(Lab.HTTP_PORT)
            .append(" {\n");
        text.append("    lb_algo rr\n");
        text.append("    lb_kind DR\n");
        text.append("    protocol TCP\n");
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            text.append("    real_server ").append(LabAddresses.formatIpv4(lab.realServerAddress(n))).append(' ')
                .append(Lab.HTTP_PORT).append(" {\n");
            text.append("        weight 1\n");
            text.append("    }\n");
        }
        text.append("}\n");
        return text.toString();
    }

    private ControlListing listing()
    {
        return new ControlListing(directory.resolve("control.sock"));
    }
}
