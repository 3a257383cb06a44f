package io.jlvs.dataplane;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.jlvs.arp.ArpResponder;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.pipeline.CaptureAgent;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemNanoClock;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One director on one interface: the capture thread, the Disruptor ring and the forwarding thread, wired to a
 * transport, with the control-plane entry points ({@link #apply}, {@link #status}, {@link #onForwardingThread}).
 * <p>
 * The control plane never touches forwarding state: {@link #apply} validates and builds a whole new service table
 * and publishes it through one volatile field; anything that must read forwarding-thread state is sent there as a
 * task and answered through a future.
 */
public final class Director implements AutoCloseable
{
    private static final int CONTROL_QUEUE_CAPACITY = 256;
    /** Capture idling: spin, then yield, then park up to this long; frames are in the kernel ring meanwhile. */
    private static final long CAPTURE_MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long CAPTURE_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final int CAPTURE_MAX_SPINS = 100;
    private static final int CAPTURE_MAX_YIELDS = 10;
    private static final int SLEEP_RETRIES = 200;
    private static final long SLEEP_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;

    private final PacketTransport transport;
    private final DirectorOptions options;
    private final Counters counters = new Counters();
    private final ServiceTableBuilder builder = new ServiceTableBuilder();
    private final NeighbourTable neighbours;
    private final ArpResponder arp;
    private final ManyToOneConcurrentArrayQueue<Runnable> controlTasks =
        new ManyToOneConcurrentArrayQueue<>(CONTROL_QUEUE_CAPACITY);
    private final ForwardingHandler handler;
    private volatile ServiceTable table = ServiceTable.EMPTY;
    private volatile Throwable failure;
    private Disruptor<FrameEvent> disruptor;
    private AgentRunner captureRunner;
    private boolean closed;

    public Director(final PacketTransport transport, final DirectorOptions options)
    {
        this.transport = transport;
        this.options = options;
        this.neighbours = new NeighbourTable(options.neighbourTimers());
        this.arp = new ArpResponder(transport.macAddress(), neighbours);
        this.handler = new ForwardingHandler(transport, counters, () -> table, options.connectionCapacity(),
            options.timeouts(), options.expireQuiescentTemplate(), neighbours, arp, controlTasks);
    }

    /**
     * Replaces the running services with {@code services}: all of it or, when anything is wrong, none of it.
     *
     * @throws IllegalArgumentException naming what is wrong; the running table is then unchanged.
     */
    public synchronized void apply(final List<VirtualServiceSpec> services)
    {
        final ServiceTable next = builder.build(services, table);
        neighbours.wanted(next.neighbourAddresses());
        arp.virtualAddresses(next.virtualAddresses());
        table = next;
    }

    /** The table the control plane last published. */
    public ServiceTable table()
    {
        return table;
    }

    public synchronized void start()
    {
        if (disruptor != null)
        {
            throw new IllegalStateException("director already started on " + transport.interfaceName());
        }
        final String name = transport.interfaceName();
        disruptor = new Disruptor<>(new FrameSlots(options.ringSize()), options.ringSize(),
            r -> daemon(r, "jlvs-forward-" + name), ProducerType.SINGLE, waitStrategy(options.waitStrategy()));
        disruptor.handleEventsWith(handler);
        disruptor.setDefaultExceptionHandler(new ForwardingExceptionHandler());
        final RingBuffer<FrameEvent> ring = disruptor.start();
        final CaptureAgent capture = new CaptureAgent(transport, ring, counters, new SystemNanoClock(),
            options.captureBatch(), options.tickIntervalNs());
        captureRunner = new AgentRunner(
            new BackoffIdleStrategy(CAPTURE_MAX_SPINS, CAPTURE_MAX_YIELDS, CAPTURE_MIN_PARK_NS, CAPTURE_MAX_PARK_NS),
            recordFailure(), null, capture);
        AgentRunner.startOnThread(captureRunner, r -> daemon(r, "jlvs-capture-" + name));
    }

    /**
     * Runs {@code task} on the forwarding thread at its next tick (within about a millisecond) and completes the
     * future with its result: the way to read connection-table or neighbour state from outside.
     */
    public <T> CompletableFuture<T> onForwardingThread(final Function<ForwardingHandler, T> task)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Runnable runnable = () ->
        {
            try
            {
                result.complete(task.apply(handler));
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t);
            }
        };
        if (!controlTasks.offer(runnable))
        {
            result.completeExceptionally(new IllegalStateException("control queue full, try again"));
        }
        return result;
    }

    /**
     * The forwarding handler, for tests and benchmarks that drive it directly on their own thread without
     * {@link #start()}ing the director: while the director runs, only its forwarding thread may call it.
     */
    public ForwardingHandler forwardingHandler()
    {
        return handler;
    }

    /** The neighbour cache; its {@code state()} and {@code forEach()} may be read from any thread. */
    public NeighbourTable neighbours()
    {
        return neighbours;
    }

    public Counters counters()
    {
        return counters;
    }

    public PacketTransport transport()
    {
        return transport;
    }

    public DirectorOptions options()
    {
        return options;
    }

    /** The first error a dataplane thread hit, or null: the forwarding path never throws by design. */
    public Throwable failure()
    {
        return failure;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (captureRunner != null)
            {
                captureRunner.close();
            }
            if (disruptor != null)
            {
                try
                {
                    disruptor.shutdown(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
                catch (final com.lmax.disruptor.TimeoutException ex)
                {
                    disruptor.halt();
                }
            }
        }
        finally
        {
            transport.close();
        }
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private ErrorHandler recordFailure()
    {
        return t ->
        {
            if (failure == null)
            {
                failure = t;
            }
        };
    }

    private static WaitStrategy waitStrategy(final String name)
    {
        switch (name)
        {
            case "busy": return new BusySpinWaitStrategy();
            case "yield": return new YieldingWaitStrategy();
            case "block": return new BlockingWaitStrategy();
            case "sleep": return new SleepingWaitStrategy(SLEEP_RETRIES, SLEEP_NS);
            default: throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "', expected one of busy, yield, sleep, block");
        }
    }

    /** Records the first failure and keeps the forwarding thread running: one bad frame must not stop a director. */
    private final class ForwardingExceptionHandler implements com.lmax.disruptor.ExceptionHandler<FrameEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final FrameEvent event)
        {
            recordFailure().onError(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            recordFailure().onError(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            recordFailure().onError(ex);
        }
    }
}
