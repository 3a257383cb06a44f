package io.jlvs.bench;

import com.lmax.disruptor.EventHandler;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.fixtures.FrameBuilder;
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

import java.util.concurrent.TimeUnit;

/**
 * The per-packet path of an established flow through the Disruptor hop: the benchmark thread plays the capture
 * thread (copy each frame into a ring slot, publish it) and a second thread runs the director's forwarding handler
 * on the ring, as a started director does. The score is the time per published frame in steady state, i.e. the
 * inverse of the pipeline's throughput, set by the slower of the two threads (with a full ring the producer waits).
 * Baseline: the same hop to a handler that does nothing, i.e. what the hop itself costs. Needs two free cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ForwardThroughRingBenchmark
{
    private static final int SERVERS = 8;

    /** The flows' frames and a cursor over them (the capture ring). */
    @State(Scope.Thread)
    public static class Flows
    {
        @Param({"65536"})
        int flows;

        FlowFrames frames;
        int flow;
        long published;

        @Setup(Level.Trial)
        public void prepareFrames()
        {
            frames = new FlowFrames(flows, FrameBuilder.ACK);
        }

        void next()
        {
            flow = flow + 1 == flows ? 0 : flow + 1;
            published++;
        }
    }

    /** A director with the flows established, its forwarding handler on the consuming end of a started ring. */
    @State(Scope.Thread)
    public static class Forwarding extends Flows
    {
        BenchDirector director;
        RingHop hop;
        long forwardedBefore;

        @Setup(Level.Trial)
        public void start()
        {
            director = new BenchDirector("wlc", SERVERS, 2 * flows);
            director.establish(frames, BenchDirector.START_NS);
            forwardedBefore = director.since(Counter.FORWARDED);
            hop = new RingHop(director.transport, director.counters(), director.handler);
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            hop.close();
            director.requireNoDrops("forwarding through the ring");
            final long forwarded = director.since(Counter.FORWARDED) - forwardedBefore;
            if (forwarded != published)
            {
                throw new IllegalStateException("published " + published + " frames, forwarded " + forwarded);
            }
        }
    }

    /** The same ring, consumed by a handler that only counts. */
    @State(Scope.Thread)
    public static class EmptyHop extends Flows
    {
        final CountingHandler handler = new CountingHandler();
        RingHop hop;

        @Setup(Level.Trial)
        public void start()
        {
            hop = new RingHop(new NullTransport(BenchDirector.DIRECTOR_MAC, 0), new Counters(), handler);
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            hop.close();
            if (handler.frames != published)
            {
                throw new IllegalStateException("published " + published + " frames, handled " + handler.frames);
            }
        }
    }

    /** Counts frames (not the set-up tick); the consumer thread is its only writer. */
    static final class CountingHandler implements EventHandler<FrameEvent>
    {
        long frames;

        @Override
        public void onEvent(final FrameEvent event, final long sequence, final boolean endOfBatch)
        {
            if (event.kind() == FrameEvent.KIND_FRAME)
            {
                frames++;
            }
        }
    }

    /** Side effects only (the ring, the handler's counters and TX): nothing to consume. */
    @Benchmark
    public void forward(final Forwarding state)
    {
        state.hop.publish(state.frames, state.flow);
        state.next();
    }

    @Benchmark
    public void baselineEmptyHandler(final EmptyHop state)
    {
        state.hop.publish(state.frames, state.flow);
        state.next();
    }
}
