package io.jlvs.cli;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, case 5 (a load test from one machine all lands on one server), replayed with {@code jlvs run} as its own
 * process in the lab's director namespace: a persistent service sends every connection of the one client to one real
 * server, and {@code jlvs list} says why, as ipvsadm would: {@code --persistent-conn} shows the one template on that
 * server (PersistConn), {@code -c} shows the template itself (the client's address, source port 0, state NONE, that
 * server). The same service without persistence spreads the same client's connections. Root only.
 */
class PersistenceLabTest
{
    /** Bounds every wait on the running director: it answers in milliseconds; this only stops a broken run. */
    private static final int PERSISTENCE_TIMEOUT_S = 300;
    /** The load test from one machine. */
    private static final int CONNECTIONS = 20;
    /** Without persistence, rr over three servers: seven whole cycles. */
    private static final int SPREAD_CONNECTIONS = 21;
    private static final String NONE = "NONE";
    private static final int SECONDS_PER_MINUTE = 60;

    @TempDir
    Path directory;

    private Lab lab;
    private LabDirector director;

    @BeforeEach
    void buildLab() throws IOException
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start(LabSpec.builder().realServerCount(3).withProbe(false).build());
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        try
        {
            // First: the process's packet socket keeps the director namespace alive.
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
    void oneClientsConnectionsAllLandOnOneServerAndTheListingShowsTheTemplateThatSendsThemThere() throws Exception
    {
        final Path config = directory.resolve("keepalived.conf");
        Files.writeString(config, config(PERSISTENCE_TIMEOUT_S));
        director = LabDirector.start(lab, config, directory);
        try
        {
            director.awaitNeighboursReachable(lab.realServerAddress(1), lab.realServerAddress(2),
                lab.realServerAddress(3));

            final Map<String, Integer> persistent = spread(CONNECTIONS);
            assertEquals(1, persistent.size(), "one client, one server: " + persistent);
            final String chosenName = persistent.keySet().iterator().next();
            assertEquals(CONNECTIONS, persistent.get(chosenName));
            final String chosen = endpoint(server(chosenName));

            // ipvsadm -L -n --persistent-conn: the template is the chosen server's; every connection has ended
            final List<String> expected = new ArrayList<>(List.of(
                "IP Virtual Server version 1.2.1 (size=" + LabDirector.CONNECTION_CAPACITY + ")",
                "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ",
                "  -> RemoteAddress:Port",
                "TCP  " + endpoint(lab.vip()) + " rr persistent " + PERSISTENCE_TIMEOUT_S));
            for (int n = 1; n <= lab.realServerCount(); n++)
            {
                final boolean isChosen = endpoint(lab.realServerAddress(n)).equals(chosen);
                expected.add(String.format(Locale.ROOT, "  -> %-28s %-9d %-11d %-10d %-10d",
                    endpoint(lab.realServerAddress(n)), 1, isChosen ? 1 : 0, 0, isChosen ? CONNECTIONS : 0));
            }
            final List<String> listing = listing().awaitList(expected::equals, "--persistent-conn");
            assertEquals(String.join("\n", expected), String.join("\n", listing));

            // ipvsadm -L -n -c: the template (client address, port 0, NONE, the chosen server) and the connections
            final List<String> entries = listing().list("-c");
            assertEquals("IPVS connection entries", entries.get(0));
            assertEquals("pro expire state       source             virtual            destination", entries.get(1));
            final String client = LabAddresses.formatIpv4(lab.clientAddress());
            final List<String[]> templates = new ArrayList<>();
            int connections = 0;
            for (final String line : entries.subList(2, entries.size()))
            {
                final String[] columns = line.trim().split("\\s+");
                assertEquals(6, columns.length, line);
                assertTrue(columns[1].matches("\\d\\d:\\d\\d"), line);
                assertEquals(List.of("TCP", endpoint(lab.vip()), chosen),
                    List.of(columns[0], columns[4], columns[5]), line);
                if (NONE.equals(columns[2]))
                {
                    templates.add(columns);
                    assertEquals(client + ":0", columns[3], line);
                }
                else
                {
                    connections++;
                    assertTrue(columns[3].startsWith(client + ":") && !columns[3].equals(client + ":0"), line);
                }
            }
            assertEquals(1, templates.size(), String.join("\n", entries));
            assertEquals(CONNECTIONS, connections, String.join("\n", entries));
            assertTrue(minutesAndSeconds(templates.get(0)[1]) <= PERSISTENCE_TIMEOUT_S, templates.get(0)[1]);
            assertEquals("pro expire state       source             virtual            destination        pe name" +
                "          pe_data", listing().list("--persistent-conn", "-c").get(1));

            // The same service without persistence: the same client's connections spread over the servers.
            Files.writeString(config, config(0));
            assertTrue(director.request("reload").startsWith("reloaded " + config + ": running 1 virtual service " +
                "with 3 real servers"), director.process().output());
            final String plain = "TCP  " + endpoint(lab.vip()) + " rr";
            assertEquals(plain, listing().awaitList(lines -> lines.size() > 3 && lines.get(3).equals(plain)).get(3));
            assertEquals(Map.of(lab.realServerName(1), 7, lab.realServerName(2), 7, lab.realServerName(3), 7),
                spread(SPREAD_CONNECTIONS));
        }
        catch (final Exception | AssertionError ex)
        {
            System.out.println(director.process().output());
            throw ex;
        }
    }

    /** New connections from the one client, one request each, and how many each real server answered. */
    private Map<String, Integer> spread(final int connections) throws IOException
    {
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < connections; i++)
        {
            perServer.merge(lab.httpGet("/").trim(), 1, Integer::sum);
        }
        return perServer;
    }

    /** The address of the lab real server that answers with {@code name}. */
    private int server(final String name)
    {
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            if (lab.realServerName(n).equals(name))
            {
                return lab.realServerAddress(n);
            }
        }
        throw new AssertionError("no lab real server answers as " + name);
    }

    private static String endpoint(final int address)
    {
        return LabAddresses.formatIpv4(address) + ":" + Lab.HTTP_PORT;
    }

    private static int minutesAndSeconds(final String expire)
    {
        final String[] parts = expire.split(":");
        return Integer.parseInt(parts[0]) * SECONDS_PER_MINUTE + Integer.parseInt(parts[1]);
    }

    /** rr over the lab's three real servers; persistent for {@code timeoutSeconds} unless 0. */
    private String config(final int timeoutSeconds)
    {
        final StringBuilder text = new StringBuilder();
        text.append("virtual_server ").append(LabAddresses.formatIpv4(lab.vip())).append(' ').append(Lab.HTTP_PORT)
            .append(" {\n");
        text.append("    lb_algo rr\n");
        text.append("    lb_kind DR\n");
        text.append("    protocol TCP\n");
        if (timeoutSeconds > 0)
        {
            text.append("    persistence_timeout ").append(timeoutSeconds).append('\n');
        }
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
