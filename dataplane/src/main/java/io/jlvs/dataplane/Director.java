package io.jlvs.dataplane;

import com.lmax.disruptor.PhasedBackoffWaitStrategy;
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
import io.jlvs.dataplane.counter.LatencyRecorder;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.forward.PeerDirectors;
import io.jlvs.dataplane.pipeline.CaptureAgent;
import io.jlvs.dataplane.pipeline.CaptureIdleStrategy;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.local.HostCommands;
import io.jlvs.dataplane.local.LocalDeliveryPath;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import org.agrona.BufferUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

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
    /** Capture idling: spin, then yield, then sleep in the transport's wait (poll) until a frame or the next tick. */
    private static final int CAPTURE_MAX_SPINS = 100;
    private static final int CAPTURE_MAX_YIELDS = 10;
    /**
     * {@code block}: spin this long, then yield this long, then block until the capture thread signals; it signals
     * only when the forwarding thread is blocked (a lite lock), so under load a publish costs one flag read.
     */
    private static final long BLOCK_SPIN_NS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long BLOCK_YIELD_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int SLEEP_RETRIES = 200;
    private static final long SLEEP_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
    /** Frames handed between workers are rare (ICMP errors about another worker's connection): a little room. */
    private static final int HANDOFF_RING_BYTES = 256 * 1024;
    private static final int HANDOFF_ALIGNMENT = 64;

    private final PacketTransport transport;
    private final PacketTransport[] transports;
    private final DirectorOptions options;
    private final Counters counters;
    private final LatencyRecorder latency;
    private final ServiceTableBuilder builder;
    private final NeighbourTable neighbours;
    private final ArpResponder arp;
    private final PeerDirectors peers = new PeerDirectors();
    private final ManyToOneConcurrentArrayQueue<Runnable>[] controlTasks;
    private final ForwardingHandler[] handlers;
    private final ForwardingHandler handler;
    private volatile ServiceTable table = ServiceTable.EMPTY;
    private int[] hostAddresses = new int[0];
    private LocalPathFactory localPathFactory;
    private LocalDeliveryPath localPath;
    private RouteReader routeReader = RouteTable::readCurrentThreadNamespace;
    private volatile Throwable failure;
    private Disruptor<FrameEvent>[] disruptors;
    private AgentRunner[] captureRunners;
    private boolean closed;

    public Director(final PacketTransport transport, final DirectorOptions options)
    {
        this(List.of(transport), options);
    }

    /**
     * A director with one forwarding worker per transport: the transports are the members of one fanout group on
     * the director interface (see {@code TransportOptions.FANOUT_BY_CLIENT}), the first of them the one that gets
     * ARP. Each worker has its own ring, capture thread, forwarding thread and connection-table shard; the neighbour
     * cache and ARP belong to the first worker and the others read its MACs.
     */
    @SuppressWarnings("unchecked")
    public Director(final List<PacketTransport> workerTransports, final DirectorOptions options)
    {
        if (workerTransports.isEmpty())
        {
            throw new IllegalArgumentException("a director needs at least one transport");
        }
        final int workers = workerTransports.size();
        this.transports = workerTransports.toArray(new PacketTransport[0]);
        this.transport = transports[0];
        this.options = options;
        this.counters = new Counters(workers);
        this.latency = new LatencyRecorder(workers);
        this.builder = new ServiceTableBuilder(workers);
        this.neighbours = new NeighbourTable(options.neighbourTimers());
        this.arp = new ArpResponder(transport.macAddress(), neighbours);
        this.controlTasks = new ManyToOneConcurrentArrayQueue[workers];
        this.handlers = new ForwardingHandler[workers];
        for (int w = 0; w < workers; w++)
        {
            controlTasks[w] = new ManyToOneConcurrentArrayQueue<>(CONTROL_QUEUE_CAPACITY);
            handlers[w] = new ForwardingHandler(transports[w], w, counters.forWorker(w), () -> table,
                options.connectionCapacity() / workers, options.timeouts(), options.expireQuiescentTemplate(),
                options.learnPeerDirectors(), options.answerArp(), neighbours, arp, peers, controlTasks[w],
                latency.forWorker(w));
        }
        this.handler = handlers[0];
        if (workers > 1)
        {
            final org.agrona.concurrent.ringbuffer.RingBuffer[] handoffs =
                new org.agrona.concurrent.ringbuffer.RingBuffer[workers];
            for (int w = 0; w < workers; w++)
            {
                handoffs[w] = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                    HANDOFF_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH, HANDOFF_ALIGNMENT)));
            }
            for (final ForwardingHandler workerHandler : handlers)
            {
                workerHandler.handoffs(handoffs);
            }
        }
    }

    /** How many forwarding workers this director runs. */
    public int workers()
    {
        return handlers.length;
    }

    /**
     * Replaces the running services with {@code services}: all of it or, when anything is wrong, none of it.
     *
     * @throws IllegalArgumentException naming what is wrong; the running table is then unchanged.
     */
    public synchronized void apply(final List<VirtualServiceSpec> services)
    {
        final List<VirtualServiceSpec> resolved = markLocalServers(services);
        final boolean local = resolved.stream().flatMap(s -> s.realServers().stream())
            .anyMatch(rs -> rs.method() == ForwardingMethod.LOCAL);
        if (local && localPath == null && localPathFactory == null)
        {
            throw new IllegalArgumentException("a real server is this host itself (Local forwarding) but this " +
                "director has no path into the host's stack (it needs nft and ip, and root)");
        }
        final IntUnaryOperator nextHop = tunnelNextHops(resolved);
        ServiceTable next = builder.build(resolved, table, nextHop);
        if (local || localPath != null)
        {
            next = withLocalPath(next);
        }
        neighbours.wanted(next.neighbourAddresses());
        arp.virtualAddresses(next.virtualAddresses());
        table = next;
    }

    /**
     * Lets this director deliver to the host's own stack the connections of real servers whose address is one of
     * {@code hostAddresses} (ipvsadm's "Local" forwarding), building the host side on first use.
     *
     * @param hostAddresses the host's own IPv4 addresses (host byte order).
     * @param host          runs {@code ip}/{@code nft} in the director's namespace.
     * @param openTransport opens a transport on a named interface of the director's namespace.
     */
    public synchronized void localDelivery(
        final int[] hostAddresses, final HostCommands host, final Function<String, PacketTransport> openTransport)
    {
        this.hostAddresses = hostAddresses.clone();
        this.localPathFactory = vips -> LocalDeliveryPath.open(host, transport.interfaceName(), vips, openTransport,
            handlers.length);
    }

    /**
     * Where each TUN real server's packets go next, from the routing table of the director's namespace; refuses a
     * server with no route, or one reached through another interface than the one this director runs on.
     */
    private IntUnaryOperator tunnelNextHops(final List<VirtualServiceSpec> services)
    {
        final boolean tunnel = services.stream().flatMap(s -> s.realServers().stream())
            .anyMatch(rs -> rs.method() == ForwardingMethod.TUNNEL);
        if (!tunnel)
        {
            return IntUnaryOperator.identity();
        }
        final RouteTable routes;
        try
        {
            routes = routeReader.read();
        }
        catch (final Exception ex)
        {
            throw new IllegalArgumentException("TUN real servers need the routing table, which could not be read: " +
                ex.getMessage(), ex);
        }
        for (final VirtualServiceSpec spec : services)
        {
            for (final RealServerSpec rs : spec.realServers())
            {
                if (rs.method() != ForwardingMethod.TUNNEL)
                {
                    continue;
                }
                if (routes.nextHop(rs.address()) == RouteTable.UNREACHABLE)
                {
                    throw new IllegalArgumentException("virtual service " + spec + ": TUN real server " + rs +
                        " has no route on this director");
                }
                final String via = routes.interfaceFor(rs.address());
                if (!transport.interfaceName().equals(via))
                {
                    throw new IllegalArgumentException("virtual service " + spec + ": TUN real server " + rs +
                        " is reached through " + via + ", but this director forwards on " + transport.interfaceName());
                }
            }
        }
        return routes::nextHop;
    }

    /**
     * How this director reads the routing table of its namespace (by default on the calling thread, which is in
     * the director's namespace when jlvs runs there; a lab running the director in-process reads it from a thread
     * inside the namespace).
     */
    public synchronized void routeReader(final RouteReader reader)
    {
        this.routeReader = reader;
    }

    /** Reads a routing table. */
    @FunctionalInterface
    public interface RouteReader
    {
        RouteTable read() throws Exception;
    }

    private List<VirtualServiceSpec> markLocalServers(final List<VirtualServiceSpec> services)
    {
        if (hostAddresses.length == 0)
        {
            return services;
        }
        final List<VirtualServiceSpec> marked = new ArrayList<>(services.size());
        for (final VirtualServiceSpec spec : services)
        {
            final List<RealServerSpec> servers = new ArrayList<>(spec.realServers().size());
            for (final RealServerSpec rs : spec.realServers())
            {
                final boolean isHost = Arrays.stream(hostAddresses).anyMatch(a -> a == rs.address());
                servers.add(isHost && rs.method() == ForwardingMethod.ROUTE ? new RealServerSpec(rs.address(),
                    rs.port(), rs.weight(), rs.upperThreshold(), rs.lowerThreshold(), ForwardingMethod.LOCAL) : rs);
            }
            marked.add(new VirtualServiceSpec(spec.protocol(), spec.addresses(), spec.fwmark(), spec.scheduler(),
                spec.schedulerFlags(), spec.persistenceTimeoutSeconds(), spec.persistenceNetmask(), servers,
                spec.excludedSourceMacs()));
        }
        return marked;
    }

    private ServiceTable withLocalPath(final ServiceTable next)
    {
        try
        {
            if (localPath == null)
            {
                localPath = localPathFactory.open(next.virtualAddresses());
            }
            else
            {
                localPath.virtualAddresses(next.virtualAddresses());
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot set up Local forwarding: " + ex.getMessage(), ex);
        }
        return next.withLocalPath(localPath.transports(), localPath.stackSideMac());
    }

    /** Opens the host side of Local forwarding for a set of VIPs. */
    @FunctionalInterface
    private interface LocalPathFactory
    {
        LocalDeliveryPath open(int[] vips) throws IOException;
    }

    /** The table the control plane last published. */
    public ServiceTable table()
    {
        return table;
    }

    @SuppressWarnings("unchecked")
    public synchronized void start()
    {
        if (disruptors != null)
        {
            throw new IllegalStateException("director already started on " + transport.interfaceName());
        }
        final String name = transport.interfaceName();
        final int workers = handlers.length;
        disruptors = new Disruptor[workers];
        captureRunners = new AgentRunner[workers];
        for (int w = 0; w < workers; w++)
        {
            final String suffix = workers == 1 ? name : name + "-" + w;
            final Disruptor<FrameEvent> disruptor = new Disruptor<>(new FrameSlots(options.ringSize()),
                options.ringSize(), r -> daemon(r, "jlvs-forward-" + suffix), ProducerType.SINGLE,
                waitStrategy(options.waitStrategy()));
            disruptor.handleEventsWith(handlers[w]);
            disruptor.setDefaultExceptionHandler(new ForwardingExceptionHandler());
            final RingBuffer<FrameEvent> ring = disruptor.start();
            disruptors[w] = disruptor;
            final CaptureAgent capture = new CaptureAgent(transports[w], ring, counters.forWorker(w),
                new SystemNanoClock(), options.captureBatch(), options.tickIntervalNs());
            captureRunners[w] = new AgentRunner(
                new CaptureIdleStrategy(transports[w], CAPTURE_MAX_SPINS, CAPTURE_MAX_YIELDS, options.tickIntervalNs()),
                recordFailure(), null, capture);
            AgentRunner.startOnThread(captureRunners[w], r -> daemon(r, "jlvs-capture-" + suffix));
        }
    }

    /**
     * Runs {@code task} on the forwarding thread at its next tick (within about a millisecond) and completes the
     * future with its result: the way to read connection-table or neighbour state from outside.
     */
    public <T> CompletableFuture<T> onForwardingThread(final Function<ForwardingHandler, T> task)
    {
        return onWorker(0, task);
    }

    /**
     * Runs {@code task} on every worker's forwarding thread (each with its own handler and connection shard) and
     * completes with their results in worker order.
     */
    public <T> CompletableFuture<List<T>> onEachForwardingThread(final Function<ForwardingHandler, T> task)
    {
        final List<CompletableFuture<T>> each = new ArrayList<>(handlers.length);
        for (int w = 0; w < handlers.length; w++)
        {
            each.add(onWorker(w, task));
        }
        return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
            .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }

    private <T> CompletableFuture<T> onWorker(final int worker, final Function<ForwardingHandler, T> task)
    {
        final ForwardingHandler target = handlers[worker];
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Runnable runnable = () ->
        {
            try
            {
                result.complete(task.apply(target));
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t);
            }
        };
        if (!controlTasks[worker].offer(runnable))
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

    /** Worker {@code worker}'s forwarding handler (as {@link #forwardingHandler()}, for tests and benchmarks). */
    public ForwardingHandler forwardingHandler(final int worker)
    {
        return handlers[worker];
    }

    /** The neighbour cache; its {@code state()} and {@code forEach()} may be read from any thread. */
    public NeighbourTable neighbours()
    {
        return neighbours;
    }

    /**
     * How long frames waited between capture and their TX flush (the capture thread's clock when it took the frame
     * from the kernel ring, to the flush that sent it); any thread may read interval histograms from it.
     */
    public LatencyRecorder latency()
    {
        return latency;
    }

    public Counters counters()
    {
        return counters;
    }

    /** The first worker's transport (the one that gets ARP). */
    public PacketTransport transport()
    {
        return transport;
    }

    /** Every worker's transport, in worker order. */
    public List<PacketTransport> transports()
    {
        return List.of(transports);
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
            if (captureRunners != null)
            {
                for (final AgentRunner runner : captureRunners)
                {
                    runner.close();
                }
            }
            if (disruptors != null)
            {
                for (final Disruptor<FrameEvent> disruptor : disruptors)
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
        }
        finally
        {
            try
            {
                for (final PacketTransport workerTransport : transports)
                {
                    workerTransport.close();
                }
            }
            finally
            {
                if (localPath != null)
                {
                    localPath.close();
                }
            }
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
            case "block": return PhasedBackoffWaitStrategy.withLiteLock(BLOCK_SPIN_NS, BLOCK_YIELD_NS, TimeUnit.NANOSECONDS);
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
