package io.jlvs.bench;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.RealServer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A director on a {@link NullTransport} with one TCP virtual service and its real servers resolved, whose forwarding
 * handler the benchmark thread drives directly, one event per batch as the Disruptor would hand it over (the way
 * the dataplane's ForwardingDriver does in its tests): no threads, a clock the benchmark sets.
 */
final class BenchDirector
{
    static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    static final long CLIENT_MAC = 0x02_00_00_00_00_10L;
    static final String DIRECTOR_IP_TEXT = "198.18.0.2";
    static final String VIP_TEXT = "198.18.0.100";
    static final int VIP = FrameBuilder.address(VIP_TEXT);
    static final int VIRTUAL_PORT = 80;
    /** Real server {@code i} is 198.18.1.{i + 1} at MAC 02:00:00:00:01:{i + 1}. */
    static final int FIRST_SERVER = FrameBuilder.address("198.18.1.1");
    static final long FIRST_SERVER_MAC = 0x02_00_00_00_01_01L;
    /** The benchmark clock starts here: any fixed time works, nanoTime's origin is arbitrary. */
    static final long START_NS = TimeUnit.SECONDS.toNanos(1_000);
    private static final long SHUFFLE_SEED = 0x6A6C7673L;

    final NullTransport transport;
    final Director director;
    final ForwardingHandler handler;
    /** For the frames the set-up sends (SYNs, ARP replies) and ticks; the benchmarks bring their own events. */
    private final FrameEvent setupEvent = new FrameSlots(1).newInstance();
    /** Counter values once resolved: the ARP replies of the set-up count as ignored ARP, which is not a loss. */
    private final long[] afterSetup = new long[Counter.values().length];
    private long sequence;

    /**
     * @param scheduler          IPVS scheduler name of the service.
     * @param servers            how many real servers (weight 1 each), all resolved before this returns.
     * @param connectionCapacity connection-table capacity.
     */
    BenchDirector(final String scheduler, final int servers, final int connectionCapacity)
    {
        transport = new NullTransport(DIRECTOR_MAC, FrameBuilder.address(DIRECTOR_IP_TEXT));
        director = new Director(transport,
            DirectorOptions.defaults().withRingSize(1).withConnectionCapacity(connectionCapacity));
        handler = director.forwardingHandler();
        final List<RealServerSpec> specs = new ArrayList<>();
        for (int i = 0; i < servers; i++)
        {
            specs.add(RealServerSpec.route(FIRST_SERVER + i, VIRTUAL_PORT, 1));
        }
        director.apply(List.of(VirtualServiceSpec.of(VirtualServiceSpec.TCP, VIP, VIRTUAL_PORT, scheduler, specs)));
        resolve(servers);
    }

    /** As the tests' driver: a tick adopts the wanted neighbours, ARP replies resolve them, a tick reports it. */
    private void resolve(final int servers)
    {
        tick(START_NS);
        for (int i = 0; i < servers; i++)
        {
            frame(FrameBuilder.arpReply(FIRST_SERVER_MAC + i, Ipv4.toString(FIRST_SERVER + i), DIRECTOR_MAC,
                DIRECTOR_IP_TEXT), START_NS);
        }
        tick(START_NS);
        for (final Counter counter : Counter.values())
        {
            afterSetup[counter.ordinal()] = director.counters().get(counter);
        }
        for (final RealServer server : handler.table().serversById())
        {
            if (server != null && !server.isNeighbourReachable())
            {
                throw new IllegalStateException("real server not resolved in set-up: " + server);
            }
        }
    }

    void tick(final long nowNs)
    {
        setupEvent.set(FrameEvent.KIND_TICK, 0, false, 0, nowNs);
        deliver(setupEvent);
    }

    /** Delivers a copy of {@code frame} (set-up only: it is copied into the set-up slot). */
    void frame(final byte[] frame, final long nowNs)
    {
        setupEvent.buffer().putBytes(FrameEvent.FRAME_OFFSET, frame);
        setupEvent.set(FrameEvent.KIND_FRAME, frame.length, false, 0, nowNs);
        deliver(setupEvent);
    }

    /** One event as a batch of one: batch start, the event, end of batch (a TX flush). */
    void deliver(final FrameEvent event)
    {
        handler.onBatchStart(1, 0);
        handler.onEvent(event, sequence++, true);
    }

    /** One event inside a batch the caller delimits. */
    void deliver(final FrameEvent event, final boolean batchStart, final long batchSize, final boolean endOfBatch)
    {
        if (batchStart)
        {
            handler.onBatchStart(batchSize, 0);
        }
        handler.onEvent(event, sequence++, endOfBatch);
    }

    /**
     * SYN then ACK for every flow, at {@code nowNs}, in a shuffled order: each ends ESTABLISHED (IPVS input-only
     * states), and table entries do not lie in memory in the order the flows' frames are replayed, as with real
     * traffic where flows start and interleave independently.
     */
    void establish(final FlowFrames flows, final long nowNs)
    {
        for (final int flow : shuffled(flows.flows()))
        {
            frame(FlowFrames.frame(flow, FrameBuilder.SYN), nowNs);
            frame(FlowFrames.frame(flow, FrameBuilder.ACK), nowNs);
        }
        requireNoDrops("establishing " + flows.flows() + " flows");
        if (handler.connections().size() != flows.flows())
        {
            throw new IllegalStateException("expected " + flows.flows() + " connections, table has " +
                handler.connections().size());
        }
    }

    /** 0..n-1 in a shuffled order, the same in every run (a fixed seed: runs must be comparable). */
    static int[] shuffled(final int n)
    {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(SHUFFLE_SEED);
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    Counters counters()
    {
        return director.counters();
    }

    /**
     * Fails the benchmark when anything was dropped: a benchmark that silently measured a drop path instead of
     * forwarding would report a meaningless, flattering number.
     */
    void requireNoDrops(final String when)
    {
        final StringBuilder text = new StringBuilder();
        for (final Counter counter : Counter.values())
        {
            final long delta = since(counter);
            if (counter.isDrop() && delta != 0)
            {
                text.append(' ').append(counter.name()).append('=').append(delta);
            }
        }
        if (text.length() > 0)
        {
            throw new IllegalStateException("frames dropped while " + when + ":" + text);
        }
    }

    /** How much {@code counter} grew since the set-up resolved the servers. */
    long since(final Counter counter)
    {
        return director.counters().get(counter) - afterSetup[counter.ordinal()];
    }
}
