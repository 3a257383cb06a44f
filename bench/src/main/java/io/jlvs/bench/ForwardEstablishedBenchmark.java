package io.jlvs.bench;

import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.fixtures.FrameBuilder;
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

import java.util.concurrent.TimeUnit;

/**
 * The whole per-packet path of an established flow without the Disruptor hop: the forwarding handler of a director
 * gets a slot holding a client's ACK and parses it, finds the service and the connection, moves the connection's
 * state and expiry, finds the real server's MAC, rewrites the frame (DR) and queues it on a transport that drops
 * it at flush. Each invocation is another of {@code flows} established flows, replayed in order from a prepared
 * ring, so connection entries and frames come from L2/L3 as with real traffic rather than staying in L1; before
 * each pass the frame's MACs and TTL word, which forwarding rewrote, are put back.
 * {@code batch} is how many frames the Disruptor hands over per batch: the table check and the TX flush happen
 * once per batch. Baseline: copying the same flow's frame into a ring slot, which the capture thread does for
 * every frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ForwardEstablishedBenchmark
{
    private static final int SERVERS = 8;

    /** The prepared frames of {@code flows} flows and a cursor over them. */
    @State(Scope.Thread)
    public static class Flows
    {
        @Param({"65536"})
        int flows;

        FlowFrames frames;
        int flow;

        @Setup(Level.Trial)
        public void prepareFrames()
        {
            frames = new FlowFrames(flows, FrameBuilder.ACK);
        }

        void next()
        {
            flow = flow + 1 == flows ? 0 : flow + 1;
        }
    }

    /** The flows, established on a director whose forwarding handler the benchmark thread drives. */
    @State(Scope.Thread)
    public static class Path extends Flows
    {
        @Param({"1", "64"})
        int batch;

        BenchDirector director;
        final FrameEvent event = new FrameSlots(1).newInstance();
        int inBatch;
        long forwardedBefore;

        @Setup(Level.Trial)
        public void establish()
        {
            // Twice the flows: a table near full is a different benchmark (see ConnectionTableBenchmark).
            director = new BenchDirector("wlc", SERVERS, 2 * flows);
            director.establish(frames, BenchDirector.START_NS);
            event.set(FrameEvent.KIND_FRAME, frames.frameLength(), false, 0, BenchDirector.START_NS);
            forwardedBefore = director.since(Counter.FORWARDED);
        }

        @TearDown(Level.Trial)
        public void check()
        {
            director.requireNoDrops("forwarding established flows");
            final long newConnections = director.since(Counter.NEW_CONNECTIONS);
            if (newConnections != flows)
            {
                throw new IllegalStateException("established flows were scheduled again: " + newConnections +
                    " connections for " + flows + " flows");
            }
            if (director.since(Counter.FORWARDED) == forwardedBefore)
            {
                throw new IllegalStateException("nothing was forwarded");
            }
        }
    }

    /** A ring slot to copy into. */
    @State(Scope.Thread)
    public static class Slot
    {
        final UnsafeBuffer buffer = new FrameSlots(1).newInstance().buffer();
    }

    /**
     * The handler has side effects (counters, the connection entry, TX); there is no result to consume. It rewrites
     * the frame in place (MACs, TTL), so the flow's frame is first put back as the client sent it (three stores).
     */
    @Benchmark
    public void forward(final Path path)
    {
        path.frames.restore(path.flow);
        path.frames.point(path.event, path.flow);
        final boolean batchStart = path.inBatch == 0;
        path.inBatch++;
        final boolean endOfBatch = path.inBatch == path.batch;
        if (endOfBatch)
        {
            path.inBatch = 0;
        }
        path.director.deliver(path.event, batchStart, path.batch, endOfBatch);
        path.next();
    }

    @Benchmark
    public void baselineCopyFrame(final Flows flows, final Slot slot, final Blackhole bh)
    {
        final FlowFrames frames = flows.frames;
        slot.buffer.putBytes(FrameEvent.FRAME_OFFSET, frames.memory(), frames.frameOffset(flows.flow),
            frames.frameLength());
        bh.consume(slot.buffer);
        flows.next();
    }
}
