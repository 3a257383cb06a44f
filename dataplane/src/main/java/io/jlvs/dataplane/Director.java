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
import io.jlvs.dataplane.counter.LatencyRecorder;
import io.jlvs.dataplane.forward.ForwardingHandler;
import io.jlvs.dataplane.pipeline.CaptureAgent;
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
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
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
    private final LatencyRecorder latency = new LatencyRecorder();
    private final ServiceTableBuilder builder = new ServiceTableBuilder();
    private final NeighbourTable neighbours;
    private final ArpResponder arp;
    private final ManyToOneConcurrentArrayQueue<Runnable> controlTasks =
        new ManyToOneConcurrentArrayQueue<>(CONTROL_QUEUE_CAPACITY);
    private final ForwardingHandler handler;
    private volatile ServiceTable table = ServiceTable.EMPTY;
    private int[] hostAddresses = new int[0];
    private LocalPathFactory localPathFactory;
    private LocalDeliveryPath localPath;
    private RouteReader routeReader = RouteTable::readCurrentThreadNamespace;
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
            options.timeouts(), options.expireQuiescentTemplate(), options.learnPeerDirectors(), options.answerArp(),
            neighbours, arp, controlTasks, latency);
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
        this.localPathFactory = vips -> LocalDeliveryPath.open(host, transport.interfaceName(), vips, openTransport);
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
        return next.withLocalPath(localPath.transport(), localPath.stackSideMac());
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
            try
            {
                transport.close();
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
