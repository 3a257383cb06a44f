package io.jlvs.bench;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.pipeline.CaptureAgent;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;

import java.util.concurrent.TimeUnit;

/**
 * The Disruptor hop as a director wires it: a single-producer ring of {@link FrameSlots} consumed by one handler on
 * its own thread, and a {@link CaptureAgent} that copies each frame into a slot and publishes it, driven here by the
 * benchmark thread (the capture thread's role) one frame per call.
 */
final class RingHop
{
    /**
     * Slots: a full ring makes the producer park (LockSupport.parkNanos(1), tens of microseconds in practice), so
     * the ring must hold more than the consumer drains meanwhile, or the consumer idles and the hop looks slower
     * than it is. 4096 slots are 256 MiB of direct memory at 64 KiB a slot.
     */
    static final int RING_SIZE = 4096;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;
    /** {@code FrameSink.onFrame}'s vnetOffset for a transport without virtio-net headers. */
    private static final int NO_VNET_HEADER = -1;

    private final Disruptor<FrameEvent> disruptor;
    private final CaptureAgent capture;
    private volatile Throwable failure;

    RingHop(final PacketTransport transport, final Counters counters, final EventHandler<FrameEvent> handler)
    {
        disruptor = new Disruptor<>(new FrameSlots(RING_SIZE), RING_SIZE, RingHop::daemon, ProducerType.SINGLE,
            new YieldingWaitStrategy());
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new Recorder());
        // A fixed clock: the frames carry the time the flows were established at, so nothing expires meanwhile.
        capture = new CaptureAgent(transport, disruptor.start(), counters, () -> BenchDirector.START_NS,
            DirectorOptions.DEFAULT_CAPTURE_BATCH, DirectorOptions.DEFAULT_TICK_INTERVAL_NS);
        // One duty cycle: reads the (fixed) clock and publishes the first tick; the transport receives nothing.
        capture.doWork();
    }

    private static Thread daemon(final Runnable runnable)
    {
        final Thread thread = new Thread(runnable, "bench-forward");
        thread.setDaemon(true);
        return thread;
    }

    /** Copies one frame into the next slot and publishes it, as the capture thread does for each received frame. */
    void publish(final FlowFrames frames, final int flow)
    {
        capture.onFrame(frames.memory(), frames.frameOffset(flow), frames.frameLength(), NO_VNET_HEADER, 0,
            FrameSink.NO_RX_TIMESTAMP);
        capture.publishClaimed();
    }

    /** Waits until the handler has taken every published frame, stops its thread and fails if it threw. */
    void close()
    {
        try
        {
            disruptor.shutdown(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            disruptor.halt();
            throw new IllegalStateException("the handler did not drain the ring in " + SHUTDOWN_TIMEOUT_MS + " ms");
        }
        if (failure != null)
        {
            throw new IllegalStateException("the handler failed", failure);
        }
    }

    /** Keeps the consumer running after an exception (the default handler would stop it and hang the producer). */
    private final class Recorder implements ExceptionHandler<FrameEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final FrameEvent event)
        {
            failure = ex;
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            failure = ex;
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            failure = ex;
        }
    }
}
