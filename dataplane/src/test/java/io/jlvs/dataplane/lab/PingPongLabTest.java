package io.jlvs.dataplane.lab;

import com.sun.net.httpserver.HttpServer;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.local.HostCommands;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.RealServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two directors that are also real servers, both with the service loaded (keepalived loads it on the backup too):
 * the master (the lab's director) owns the VIP; the backup (the lab's rs1) keeps its services but answers no ARP.
 * Without protection, a connection the master schedules to the backup is scheduled again by the backup, back to
 * the master: jlvs catches that bounce and counts it. With protection, the backup learns the master from its
 * gratuitous ARP and leaves the master's frames to its own stack.
 */
class PingPongLabTest
{
    private static final int SEND_ONLY_BLOCK_BYTES = 128 * 1024;
    private static final int SEND_ONLY_BLOCKS = 2;
    private static final long RESOLVE_TIMEOUT_MS = 10_000;

    private Lab lab;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void buildLab() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start();
        final String master = lab.directorNamespace();
        lab.exec(master, "ip", "addr", "add", LabAddresses.formatIpv4(lab.vip()) + "/32", "dev", "lo");
        lab.exec(master, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        lab.exec(master, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_announce=2");
        final HttpServer server = NetworkNamespace.call(master, () -> HttpServer.create(new InetSocketAddress(80), 64));
        server.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            final byte[] body = "master\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
        toClose.add(() -> server.stop(0));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        // Directors first: an open packet socket keeps its namespace alive.
        for (int i = toClose.size() - 1; i >= 0; i--)
        {
            toClose.get(i).close();
        }
        if (lab != null)
        {
            lab.close();
        }
    }

    private Director startDirector(
        final String namespace, final int hostAddress, final DirectorOptions options) throws Exception
    {
        final AfPacketTransport transport = NetworkNamespace.call(namespace,
            () -> AfPacketTransport.open(TransportOptions.of(Lab.HOST_INTERFACE)));
        final Director director = new Director(transport, options);
        toClose.add(director);
        director.localDelivery(new int[]{hostAddress}, HostCommands.inNamespace(namespace),
            name -> open(namespace, name));
        director.apply(List.of(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", List.of(
            RealServerSpec.route(lab.directorAddress(), 80, 1),
            RealServerSpec.route(lab.realServerAddress(1), 80, 1)))));
        director.start();
        final long deadline = System.currentTimeMillis() + RESOLVE_TIMEOUT_MS;
        while (!allReachable(director))
        {
            assertTrue(System.currentTimeMillis() < deadline, "neighbours of the director in " + namespace);
            Thread.sleep(20);
        }
        return director;
    }

    private static boolean allReachable(final Director director)
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

    private static AfPacketTransport open(final String namespace, final String name)
    {
        try
        {
            return NetworkNamespace.call(namespace, () -> AfPacketTransport.open(TransportOptions.builder(name)
                .blockSizeBytes(SEND_ONLY_BLOCK_BYTES).blockCount(SEND_ONLY_BLOCKS).build()));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void withoutProtectionTheBounceIsCaughtAndCounted() throws Exception
    {
        final DirectorOptions unprotected = DirectorOptions.defaults().withRingSize(256)
            .withConnectionCapacity(1 << 14).withLearnPeerDirectors(false);
        final Director backup = startDirector(lab.realServerNamespace(1), lab.realServerAddress(1),
            unprotected.withAnswerArp(false));
        final Director master = startDirector(lab.directorNamespace(), lab.directorAddress(), unprotected);

        int failed = 0;
        for (int i = 0; i < 4; i++)
        {
            try
            {
                lab.httpGet("/");
            }
            catch (final IOException expected)
            {
                failed++;
            }
        }
        assertTrue(backup.counters().get(Counter.DROP_LOOP) > 0,
            "the backup scheduled the master's frame back to the master: " + backup.counters().get(Counter.DROP_LOOP));
        assertTrue(failed > 0, "connections bounced between the directors cannot complete");
        assertEquals(0, master.counters().get(Counter.PEER_DIRECTOR_FRAMES));
    }

    @Test
    void withProtectionTheBackupLeavesTheMastersFramesToItsOwnStack() throws Exception
    {
        final DirectorOptions protectedOptions = DirectorOptions.defaults().withRingSize(256)
            .withConnectionCapacity(1 << 14);
        final Director backup = startDirector(lab.realServerNamespace(1), lab.realServerAddress(1),
            protectedOptions.withAnswerArp(false));
        // The master announces the VIP when it starts; the backup learns it from that.
        final Director master = startDirector(lab.directorNamespace(), lab.directorAddress(), protectedOptions);
        final long deadline = System.currentTimeMillis() + RESOLVE_TIMEOUT_MS;
        while (backup.counters().get(Counter.PEER_DIRECTORS_LEARNED) == 0)
        {
            assertTrue(System.currentTimeMillis() < deadline, "the backup learns the master");
            Thread.sleep(20);
        }

        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < 20; i++)
        {
            perServer.merge(lab.httpGet("/").trim(), 1, Integer::sum);
        }
        assertEquals(Map.of("master", 10, "rs1", 10), perServer);
        // Each of the 10 connections the master sent the backup has a SYN, an ACK and a request at least.
        assertTrue(backup.counters().get(Counter.PEER_DIRECTOR_FRAMES) >= 30,
            "frames left to the backup's stack: " + backup.counters().get(Counter.PEER_DIRECTOR_FRAMES));
        assertEquals(0, backup.counters().get(Counter.DROP_LOOP));
        assertEquals(0, backup.counters().get(Counter.NEW_CONNECTIONS), "the backup scheduled nothing again");
        assertEquals(0, master.counters().get(Counter.DROP_LOOP));
    }
}
