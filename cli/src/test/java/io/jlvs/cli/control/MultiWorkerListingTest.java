package io.jlvs.cli.control;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.afpacket.FanoutByClient;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.jlvs.fixtures.FrameBuilder.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A director with two forwarding workers, each driven on this thread as its forwarding thread would be: the listing
 * gathers both workers' connection-table shards, sums the counters with a column per worker, and the real servers'
 * counts (which each worker keeps in its own cells) add up.
 */
class MultiWorkerListingTest
{
    private static final int WORKERS = 2;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final long RS_MAC = 0x02_00_00_00_00_11L;
    private static final String DIRECTOR = "198.18.0.2";
    private static final String VIP = "198.18.0.100";
    private static final String RS = "198.18.0.11";
    private static final int CLIENT_PORT = 40_000;
    private static final long TIMEOUT_MS = 5_000;
    /** Ticks until a control request is answered: it is queued within microseconds; this only bounds a broken one. */
    private static final int MAX_TICK_ROUNDS = 5_000;
    private static final long TICK_PAUSE_MS = 1;

    private final MemoryTransport[] transports = {transport(), transport()};
    private final Director director = new Director(List.<PacketTransport>of(transports[0], transports[1]),
        DirectorOptions.defaults().withRingSize(8).withConnectionCapacity(1024));
    private final FrameEvent event = new FrameSlots(1).newInstance();
    private final ExecutorService controlThread = Executors.newSingleThreadExecutor();
    private final DirectorControl control = new DirectorControl(director, null, TIMEOUT_MS);
    /** The client whose frames the fanout group gives to each worker, by worker. */
    private final String[] clients = new String[WORKERS];
    private long sequence;
    private long nowNs = System.nanoTime();

    private static MemoryTransport transport()
    {
        return MemoryTransport.builder().macAddress(DIRECTOR_MAC).ipv4Address(Ipv4.parse(DIRECTOR)).mtu(1500).build();
    }

    @BeforeEach
    void oneConnectionOnEachWorker()
    {
        director.apply(List.of(VirtualServiceSpec.of(VirtualServiceSpec.TCP, Ipv4.parse(VIP), 80, "rr",
            List.of(RealServerSpec.route(Ipv4.parse(RS), 80, 1)))));
        tick(0);
        tick(1);
        // Worker 0 owns ARP and the neighbour cache; the other reads its MACs.
        deliver(0, FrameBuilder.arpReply(RS_MAC, RS, DIRECTOR_MAC, DIRECTOR));
        tick(0);
        for (int last = 10; last < 250; last++)
        {
            final int worker = (int)(FanoutByClient.hash(Ipv4.parse("198.18.1." + last)) % WORKERS);
            if (clients[worker] == null)
            {
                clients[worker] = "198.18.1." + last;
            }
        }
        for (int w = 0; w < WORKERS; w++)
        {
            transports[w].clearSent();
            deliver(w, FrameBuilder.tcp().dstMac(DIRECTOR_MAC).src(clients[w], CLIENT_PORT).dst(VIP, 80).flags(SYN)
                .build());
            assertEquals(1, transports[w].sent().size(), "worker " + w + " forwards its client's SYN");
            assertEquals(1, director.forwardingHandler(w).connections().size(), "worker " + w + "'s shard");
        }
    }

    @AfterEach
    void close()
    {
        controlThread.shutdownNow();
        director.close();
    }

    @Test
    void listConnectionsGathersTheConnectionsOfEveryWorkersShard() throws Exception
    {
        final List<String> lines = request("list connections");

        assertEquals("IPVS connection entries", lines.get(0));
        final List<String> sources = new ArrayList<>();
        for (final String line : lines.subList(2, lines.size()))
        {
            final String[] columns = line.trim().split("\\s+");
            assertEquals(List.of("TCP", "SYN_RECV", VIP + ":80", RS + ":80"),
                List.of(columns[0], columns[2], columns[4], columns[5]), line);
            sources.add(columns[3]);
        }
        sources.sort(null);
        final List<String> expected = new ArrayList<>(List.of(clients[0] + ":" + CLIENT_PORT,
            clients[1] + ":" + CLIENT_PORT));
        expected.sort(null);
        assertEquals(expected, sources, String.join("\n", lines));
    }

    @Test
    void listCountersShowsTheSumThenOneColumnPerWorker() throws Exception
    {
        final List<String> lines = request("list counters");

        assertEquals("Dataplane counters (interface " + transports[0].interfaceName() + ", 2 workers)", lines.get(0));
        assertEquals(List.of("total", "worker", "0", "worker", "1"), List.of(lines.get(1).trim().split("\\s+")));
        assertEquals(List.of("FORWARDED", "2", "1", "1"), columns(lines, "FORWARDED", 4));
        assertEquals(List.of("NEW_CONNECTIONS", "2", "1", "1"), columns(lines, "NEW_CONNECTIONS", 4));
        // Worker 0 also sent its ARP requests: every worker's transport is counted, each in its own column.
        final long tx0 = transports[0].counters().get(TransportCounter.TX_FRAMES);
        final long tx1 = transports[1].counters().get(TransportCounter.TX_FRAMES);
        assertEquals(1, tx1);
        assertEquals(List.of("TX_FRAMES", Long.toString(tx0 + tx1), Long.toString(tx0), Long.toString(tx1)),
            columns(lines, "TX_FRAMES", 4));
        final List<String> drops = columns(lines, "DROPS_TOTAL", 4);
        assertEquals(Long.parseLong(drops.get(1)), Long.parseLong(drops.get(2)) + Long.parseLong(drops.get(3)),
            String.join("\n", lines));
    }

    @Test
    void theRealServersCountsAndStatsAreTheSumOfEveryWorkers() throws Exception
    {
        // A SYN_RECV connection is inactive, as in IPVS: one per worker.
        assertEquals(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10d %-10d", RS + ":80", "Route", 1, 0, 2),
            request("list").get(4));
        // -> endpoint Conns InPkts OutPkts InBytes OutBytes
        final String[] stats = request("list stats exact").get(4).trim().split("\\s+");
        assertEquals(List.of(RS + ":80", "2", "2", "0"), List.of(stats[1], stats[2], stats[3], stats[4]));
    }

    /** The first line that starts with {@code name}, split into its first {@code count} columns. */
    private static List<String> columns(final List<String> lines, final String name, final int count)
    {
        for (final String line : lines)
        {
            final String[] columns = line.trim().split("\\s+");
            if (columns[0].equals(name))
            {
                return List.of(columns).subList(0, count);
            }
        }
        throw new AssertionError("no " + name + " line in:\n" + String.join("\n", lines));
    }

    /**
     * Asks the control handler on a thread of its own, as the control server does, while this thread ticks both
     * workers so that each runs the tasks queued for it (bounded).
     */
    private List<String> request(final String request) throws Exception
    {
        final Future<String> answer = controlThread.submit(() -> control.handle(request));
        for (int round = 0; round < MAX_TICK_ROUNDS && !answer.isDone(); round++)
        {
            tick(0);
            tick(1);
            Thread.sleep(TICK_PAUSE_MS);
        }
        assertTrue(answer.isDone(), "the control request was answered");
        try
        {
            return answer.get().lines().toList();
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError(request + " failed", ex.getCause());
        }
    }

    private void deliver(final int worker, final byte[] frame)
    {
        handle(worker, frame, FrameEvent.KIND_FRAME);
    }

    private void tick(final int worker)
    {
        handle(worker, new byte[0], FrameEvent.KIND_TICK);
    }

    private void handle(final int worker, final byte[] frame, final int kind)
    {
        nowNs += 1_000;
        event.buffer().putBytes(FrameEvent.FRAME_OFFSET, frame);
        event.set(kind, frame.length, false, 0, nowNs);
        final ForwardingHandler handler = director.forwardingHandler(worker);
        handler.onBatchStart(1, 0);
        handler.onEvent(event, sequence++, true);
    }
}
