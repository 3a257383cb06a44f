package io.jlvs.dataplane.lab;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two forwarding workers on one interface, in a fanout group that picks the worker by client address: both forward,
 * every connection is answered, and a client's persistence holds across its connections.
 */
class MultiWorkerLabTest
{
    private static final int WORKERS = 2;
    private static final int CLIENTS = 9;
    private static final int REQUESTS_PER_CLIENT = 6;
    private static final long RESOLVE_TIMEOUT_MS = 10_000;

    private Lab lab;
    private Director director;

    @BeforeEach
    void buildLab() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start(LabSpec.builder().clientCount(CLIENTS).build());
    }

    @AfterEach
    void tearDown()
    {
        if (director != null)
        {
            director.close();
        }
        if (lab != null)
        {
            lab.close();
        }
    }

    private void startDirector(final VirtualServiceSpec service) throws Exception
    {
        // One group per test run: the id is the kernel's, shared by the whole network namespace.
        final int group = 1 + ThreadLocalRandom.current().nextInt(0xFFFE);
        final List<PacketTransport> transports = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++)
        {
            // In order: the first socket to join is the fanout group's first member, the one that gets ARP.
            transports.add(NetworkNamespace.call(lab.directorNamespace(), () -> AfPacketTransport.open(
                TransportOptions.builder(lab.directorInterface()).fanoutGroupId(group)
                    .fanoutMode(TransportOptions.FANOUT_BY_CLIENT).build())));
        }
        director = new Director(transports, DirectorOptions.defaults().withRingSize(256).withConnectionCapacity(1 << 16));
        director.apply(List.of(service));
        director.start();
        final long deadline = System.currentTimeMillis() + RESOLVE_TIMEOUT_MS;
        while (!allReachable())
        {
            assertTrue(System.currentTimeMillis() < deadline, "real servers resolved");
            Thread.sleep(20);
        }
    }

    private boolean allReachable()
    {
        for (final RealServer server : director.table().serversById())
        {
            if (server != null && !server.isNeighbourReachable())
            {
                return false;
            }
        }
        return true;
    }

    private String diagnostics()
    {
        final StringBuilder out = new StringBuilder();
        for (int w = 0; w < WORKERS; w++)
        {
            out.append("worker ").append(w).append(':');
            for (final Counter counter : Counter.values())
            {
                final long value = director.counters().get(w, counter);
                if (value != 0)
                {
                    out.append(' ').append(counter).append('=').append(value);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void bothWorkersForwardAndEveryConnectionIsAnswered() throws Exception
    {
        startDirector(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", LabDirector.realServers(lab, 80)));
        final Map<String, Integer> perServer = new TreeMap<>();
        for (int round = 0; round < REQUESTS_PER_CLIENT; round++)
        {
            for (int k = 1; k <= CLIENTS; k++)
            {
                perServer.merge(lab.client(k).httpGet(lab.vip(), "/").trim(), 1, Integer::sum);
            }
        }
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, perServer.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(3, perServer.size(), "every server took connections: " + perServer);
        for (int w = 0; w < WORKERS; w++)
        {
            assertTrue(director.counters().get(w, Counter.NEW_CONNECTIONS) > 0,
                "worker " + w + " scheduled connections\n" + diagnostics());
        }
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, director.counters().get(Counter.NEW_CONNECTIONS), diagnostics());
        int servers = 0;
        long connections = 0;
        for (final RealServer server : director.table().serversById())
        {
            servers++;
            connections += server.connections();
        }
        assertEquals(3, servers);
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, connections, "the workers' counts add up on each server");
    }

    @Test
    void persistenceHoldsForEachClientAcrossItsConnections() throws Exception
    {
        startDirector(new VirtualServiceSpec(6, List.of(new VirtualAddress(lab.vip(), 80)), 0, "rr",
            SchedulerFlags.NONE, 300, VirtualServiceSpec.HOST_NETMASK, LabDirector.realServers(lab, 80)));
        final Map<Integer, String> serverOfClient = new HashMap<>();
        for (int round = 0; round < REQUESTS_PER_CLIENT; round++)
        {
            for (int k = 1; k <= CLIENTS; k++)
            {
                final String server = lab.client(k).httpGet(lab.vip(), "/").trim();
                assertEquals(serverOfClient.computeIfAbsent(k, c -> server), server, "client " + k + "\n" +
                    diagnostics());
            }
        }
        for (int w = 0; w < WORKERS; w++)
        {
            assertTrue(director.counters().get(w, Counter.NEW_CONNECTIONS) > 0, "worker " + w + "\n" + diagnostics());
        }
    }
}
