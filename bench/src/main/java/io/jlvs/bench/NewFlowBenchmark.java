package io.jlvs.bench;

import io.jlvs.conntrack.ConnectionTable;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.fixtures.FrameBuilder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * A new flow: a client's SYN, copied into a ring slot as the capture thread copies it, through the forwarding
 * handler, which parses it, misses in the connection table,
 * schedules it ({@code wlc} over 8 servers by default) and inserts the connection, moves it to SYN_RECV, rewrites
 * and queues the frame. Every invocation is a new client port. The clock moves {@link #CLOCK_STEP_NS} per SYN and
 * the table's expiry runs every {@link #EXPIRE_EVERY} SYNs, as the forwarding thread's ticks run it, so the table
 * settles at about {@code SYN_RECV timeout / step} = 60 000 half-open connections instead of filling: the score
 * includes the amortised expiry of one old connection per new one. Baseline: a {@code java.util.HashMap<Long, Long>}
 * kept at the same size, one put of a new key and one remove of the oldest per invocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class NewFlowBenchmark
{
    /** One SYN per simulated millisecond: with SYN_RECV's 60 s timeout, about 60 000 connections are alive. */
    static final long CLOCK_STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** SYNs between expiry turns: 64 ms, a few wheel ticks (16.8 ms), as the director's 1 ms ticks would batch it. */
    static final int EXPIRE_EVERY = 64;
    /** The forwarding handler's expiry budget per tick. */
    private static final int EXPIRY_BUDGET = 256;
    /** Twice the steady-state population, so the table never sheds or refuses (checked at the end). */
    private static final int CAPACITY = 1 << 17;
    /** Distinct flows before a client port comes round again: 1000 simulated seconds, long after it expired. */
    private static final int FLOW_SPACE = 1 << 20;
    /** Connections alive in steady state, the size of the baseline's map. */
    private static final int LIVE_FLOWS = 60_000;
    private static final int SERVERS = 8;
    private static final int SRC_ADDR_OFFSET = EthernetHeader.LENGTH + Ipv4Header.SRC_ADDR_OFFSET;
    private static final int SRC_PORT_OFFSET = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + TcpHeader.SRC_PORT_OFFSET;
    private static final long PORT_BITS = 16;
    private static final int CACHE_LINE_BYTES = 64;

    /** A director whose handler gets a SYN of a new flow per invocation, in one slot rewritten for each flow. */
    @State(Scope.Thread)
    public static class Path
    {
        @Param({"wlc"})
        String scheduler;

        BenchDirector director;
        ConnectionTable connections;
        final FrameEvent event = new FrameSlots(1).newInstance();
        /** The SYN as the client sends it: forwarding rewrites the slot's copy (MACs, TTL). */
        UnsafeBuffer pristine;
        UnsafeBuffer slot;
        int frameLength;
        long nowNs = BenchDirector.START_NS;
        int syns;

        @Setup(Level.Trial)
        public void setUp()
        {
            director = new BenchDirector(scheduler, SERVERS, CAPACITY);
            connections = director.handler.connections();
            final byte[] syn = FlowFrames.frame(0, FrameBuilder.SYN);
            pristine = new UnsafeBuffer(BufferUtil.allocateDirectAligned(syn.length, CACHE_LINE_BYTES));
            pristine.putBytes(0, syn);
            slot = event.buffer();
            frameLength = syn.length;
        }

        @TearDown(Level.Trial)
        public void check()
        {
            director.requireNoDrops("scheduling new flows");
            final long newConnections = director.since(Counter.NEW_CONNECTIONS);
            if (newConnections != syns)
            {
                throw new IllegalStateException(syns + " SYNs made " + newConnections + " new connections");
            }
            if (connections.shedHalfOpen() != 0 || connections.refusedFull() != 0 || connections.size() > CAPACITY / 2)
            {
                throw new IllegalStateException("the table filled up: size=" + connections.size() + ", shed=" +
                    connections.shedHalfOpen() + ", refused=" + connections.refusedFull());
            }
        }
    }

    /** The baseline's map, at the steady-state size. */
    @State(Scope.Thread)
    public static class Map
    {
        final HashMap<Long, Long> map = new HashMap<>();
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            for (next = 0; next < LIVE_FLOWS; next++)
            {
                map.put(key(next), (long)next);
            }
        }
    }

    /** The flow key of the {@code flow}th flow, client address and port, as the baseline's map stores it. */
    private static long key(final int flow)
    {
        final int f = flow & (FLOW_SPACE - 1);
        return ((long)FlowFrames.clientAddress(f) << PORT_BITS) | FlowFrames.clientPort(f);
    }

    /** Side effects only (the table, the server's counts, counters, TX): nothing to consume. */
    @Benchmark
    public void newFlow(final Path path)
    {
        final int flow = path.syns & (FLOW_SPACE - 1);
        path.syns++;
        path.nowNs += CLOCK_STEP_NS;
        // The SYN copied into the slot as the capture thread copies each frame, then given a new client address and
        // port; its IP and TCP checksums go stale, which nothing on the path checks.
        path.slot.putBytes(FrameEvent.FRAME_OFFSET, path.pristine, 0, path.frameLength);
        path.slot.putInt(FrameEvent.FRAME_OFFSET + SRC_ADDR_OFFSET, FlowFrames.clientAddress(flow), ByteOrder.BIG_ENDIAN);
        path.slot.putShort(FrameEvent.FRAME_OFFSET + SRC_PORT_OFFSET, (short)FlowFrames.clientPort(flow),
            ByteOrder.BIG_ENDIAN);
        path.event.set(FrameEvent.KIND_FRAME, path.frameLength, false, 0, path.nowNs);
        path.director.deliver(path.event);
        if ((path.syns & (EXPIRE_EVERY - 1)) == 0)
        {
            path.connections.expire(path.nowNs, EXPIRY_BUDGET);
        }
    }

    @Benchmark
    public void baselineHashMapPutAndRemove(final Map state, final Blackhole bh)
    {
        final int flow = state.next++;
        bh.consume(state.map.put(key(flow), (long)flow));
        bh.consume(state.map.remove(key(flow - LIVE_FLOWS)));
    }
}
