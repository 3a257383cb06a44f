package io.jlvs.cli;

import io.jlvs.cli.control.ControlServer;
import io.jlvs.cli.control.DirectorControl;
import io.jlvs.cli.control.RuntimeServices;
import io.jlvs.cli.listing.LatencyStatistics;
import io.jlvs.cli.listing.ServerStatistics;
import io.jlvs.config.ConfigException;
import io.jlvs.config.ConfigWarning;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.local.HostCommands;
import io.jlvs.dataplane.local.LocalDeliveryPath;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.healthcheck.HealthMonitor;
import io.jlvs.healthcheck.CheckerFactory;
import io.jlvs.healthcheck.HealthMonitorOptions;
import io.jlvs.healthcheck.PathProbeOptions;
import io.jlvs.healthcheck.MonitoredService;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jlvs run}: reads a keepalived.conf, starts a director on one interface, runs the real servers' health checks,
 * serves the control socket, reloads on SIGHUP and stops cleanly on SIGTERM/SIGINT.
 * <p>
 * Nothing starts unless the whole configuration is valid: it is parsed and checked before the interface is opened.
 * A reload that fails keeps the running configuration. What the director runs is what the health monitor publishes:
 * the configured services less the real servers that fail their checks (or with those at weight 0, with
 * {@code inhibit_on_failure}), and the sorry server when a service loses its quorum. A real server whose address is
 * this host's is served by this host's own stack ("Local"), when {@code nft} is there to make that safe. With
 * {@code --workers N} the interface is read by N forwarding workers, AF_PACKET sockets of one fanout group that
 * picks the worker by client address.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run a director: serve the virtual services of a keepalived.conf on one interface, with keepalived's " +
            "health checks (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, and jlvs's PATH_CHECK through the forwarding " +
            "path) run from this host.",
        "A real server whose address is one of this host's is served by this host's own stack (Local " +
            "forwarding, needs nft).",
        "SIGHUP reloads the file (on error the running configuration stays; runtime edits made with the ipvsadm " +
            "verbs are replaced by the file's services); SIGTERM and SIGINT stop."})
final class RunCommand implements Callable<Integer>
{
    /** How long a control request waits for the forwarding thread (it answers at its next tick, about 1 ms). */
    private static final long FORWARDING_TIMEOUT_MS = 5_000;
    /** How often the waiting main thread looks for a dataplane failure to report. */
    private static final long FAILURE_POLL_MS = 1_000;
    /** The Local path only transmits (into the host's stack): the smallest ring the transport accepts. */
    private static final int LOCAL_SEND_BLOCK_BYTES = 128 * 1024;
    private static final int LOCAL_SEND_BLOCKS = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
        description = "keepalived.conf to serve (virtual_server sections; include is followed).")
    private Path config;

    @Option(names = "--interface", required = true, paramLabel = "IF",
        description = "The director interface: where the VIPs are answered and frames forwarded.")
    private String interfaceName;

    @Option(names = "--control", paramLabel = "PATH", defaultValue = Main.DEFAULT_CONTROL_PATH,
        description = "Unix socket for 'jlvs list', the ipvsadm verbs (add-server, save, ...) and reload requests, " +
            "mode 0600 (default: ${DEFAULT-VALUE}).")
    private Path control;

    @Option(names = "--io", paramLabel = "afpacket|pcap", defaultValue = "afpacket",
        description = "Packet I/O: afpacket (Linux AF_PACKET with an mmap'd RX ring, default) or pcap (portable, " +
            "slower).")
    private Transports.Kind io;

    @Option(names = "--rx-ring", paramLabel = "v3|v2", defaultValue = "v3", converter = RxRingConverter.class,
        description = {"The AF_PACKET RX ring (with --io afpacket). v3 (default): frames packed into blocks, the " +
            "most frames buffered per MiB, but at low rates a frame waits up to the 1 ms block timeout before jlvs " +
            "sees it. v2: a slot per frame, seen the moment it arrives (the lowest latency at any rate); its slots are " +
            "sized for 64 KiB GRO frames, so each worker maps 64 MiB for 768 frames, and a long burst while jlvs is " +
            "descheduled is dropped sooner (counted in list --counters)."})
    private TransportOptions.RxRingVersion rxRing;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
        description = "Forwarding workers, each with its own AF_PACKET socket in one PACKET_FANOUT group on the " +
            "interface, its own ring, threads and connection-table shard (1.." + Transports.MAX_WORKERS +
            ", default: ${DEFAULT-VALUE}; more than 1 needs --io afpacket). The group picks the worker by client " +
            "address, so a client's traffic always lands on one worker, which keeps persistence and fragments " +
            "right, and one client alone therefore uses one worker.")
    private int workers;

    @Option(names = "--ring-size", paramLabel = "N", defaultValue = "" + DirectorOptions.DEFAULT_RING_SIZE,
        description = "Slots of the capture-to-forwarding ring, a power of two (default: ${DEFAULT-VALUE}).")
    private int ringSize;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "" + DirectorOptions.DEFAULT_CONNECTION_CAPACITY,
        description = "Capacity of the connection table, templates included, shared equally among the workers' " +
            "shards (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--wait", paramLabel = "block|sleep|yield|busy", defaultValue = "block",
        description = "How the forwarding thread waits for frames: block (default: spins briefly, then sleeps until " +
            "the capture thread wakes it), sleep (wakes every 50 us to look), yield, busy (lowest latency, burns a " +
            "core).")
    private WaitStrategy waitStrategy;

    @Option(names = "--backup",
        description = {"Run as the backup director of a master/backup pair (keepalived's BACKUP state): the " +
            "services are loaded and checked as on the master, but this director answers no ARP for the VIPs and " +
            "announces none, since the master owns them. jlvs has no VRRP yet: to take over, restart it without " +
            "--backup."})
    private boolean backup;

    @Option(names = "--no-learn-peers",
        description = {"Do not take a host that announces one of our VIPs for the peer director of a pair. By " +
            "default its frames are never scheduled again, only delivered locally: that stops the ping-pong in " +
            "which two directors that are also real servers keep forwarding one client's frames to each other. " +
            "jlvs_exclude_source_mac in the file still applies."})
    private boolean noLearnPeers;

    /** {@code v3}/{@code v2} (either case) to the RX ring version. */
    static final class RxRingConverter implements ITypeConverter<TransportOptions.RxRingVersion>
    {
        @Override
        public TransportOptions.RxRingVersion convert(final String value)
        {
            for (final TransportOptions.RxRingVersion version : TransportOptions.RxRingVersion.values())
            {
                if (version.name().equalsIgnoreCase(value))
                {
                    return version;
                }
            }
            throw new TypeConversionException("expected v3 or v2, got '" + value + "'");
        }
    }

    /** The forwarding thread's wait strategies, as {@link DirectorOptions#waitStrategy()} names them. */
    enum WaitStrategy
    {
        busy, yield, sleep, block
    }

    private Director director;
    /** Set before the monitor first publishes; read by {@link #publish} for the configured specs. */
    private volatile RuntimeServices runtime;

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();

        final String workersRefused = checkWorkers(workers, io, connections);
        if (workersRefused != null)
        {
            err.println("jlvs: " + workersRefused);
            return ExitCodes.USAGE;
        }
        if (rxRing != TransportOptions.RxRingVersion.V3 && io != Transports.Kind.afpacket)
        {
            err.println("jlvs: --rx-ring " + rxRing.name().toLowerCase(Locale.ROOT) +
                " needs --io afpacket (pcap has no ring of ours), io=" + io);
            return ExitCodes.USAGE;
        }
        final Loaded loaded;
        final DirectorOptions options;
        final LocalForwarding local;
        try
        {
            loaded = load(err);
            options = DirectorOptions.defaults()
                .withRingSize(ringSize)
                .withConnectionCapacity(connections)
                .withWaitStrategy(waitStrategy.name())
                .withAnswerArp(!backup)
                .withLearnPeerDirectors(!noLearnPeers);
            // On the main thread: its namespace is the process's, the director's.
            local = new LocalForwarding(LocalForwarding.hostAddresses(), LocalDeliveryPath.nftAvailable());
            local.check(loaded.services());
        }
        catch (final SocketException ex)
        {
            err.println("jlvs: cannot list this host's addresses: " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
        catch (final ConfigException ex)
        {
            err.println("jlvs: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("jlvs: " + ex.getMessage());
            return ExitCodes.USAGE;
        }

        final List<PacketTransport> transports;
        try
        {
            transports = Transports.openWorkers(io, interfaceName, workers,
                Transports.fanoutGroupId(ProcessHandle.current().pid()), rxRing);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            // LinkageError: --io pcap on a machine without libpcap (JNA cannot load it).
            err.println("jlvs: cannot open interface " + interfaceName + " with " + io + ": " + describe(ex));
            return ExitCodes.FAILURE;
        }

        try
        {
            director = new Director(transports, options);
        }
        catch (final RuntimeException ex)
        {
            Transports.closeAll(transports);
            throw ex;
        }
        if (local.available())
        {
            // Before the first apply: a real server at one of these addresses is then served by this host's stack.
            director.localDelivery(local.addresses(), HostCommands.local(), name -> AfPacketTransport.open(
                TransportOptions.builder(name).blockSizeBytes(LOCAL_SEND_BLOCK_BYTES).blockCount(LOCAL_SEND_BLOCKS)
                    .build()));
        }
        final HealthMonitor health = new HealthMonitor(loaded.services(), this::publish,
            HealthMonitorOptions.defaults()
                // PATH_CHECK probes leave by this director's interface, to the MACs its own neighbour cache holds.
                .withCheckers(CheckerFactory.keepalived(
                    PathProbeOptions.on(interfaceName, director.neighbours()::lookupShared)))
                .withLog(line ->
                {
                    err.println("jlvs: healthcheck: " + line);
                    err.flush();
                }));
        runtime = new RuntimeServices(loaded.services(), health::reload, local::check);
        try
        {
            // The first list the director runs: every server up (or down, with alpha) until its checks say otherwise.
            health.start();
        }
        catch (final IllegalArgumentException ex)
        {
            health.close();
            director.close();
            err.println("jlvs: " + config + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        final ServerStatistics statistics = new ServerStatistics();
        // The latency recorder's only reader: taking an interval from it empties it.
        final LatencyStatistics latency = new LatencyStatistics(director.latency(), System.nanoTime());
        final ControlServer controlServer;
        try
        {
            controlServer = ControlServer.start(control, new DirectorControl(director, this::reloadOnRequest, runtime,
                statistics, latency, FORWARDING_TIMEOUT_MS));
        }
        catch (final IOException ex)
        {
            health.close();
            director.close();
            err.println("jlvs: control socket: " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
        final Running running = new Running(director, health, rateTimer(statistics, latency), controlServer);

        final CountDownLatch stop = new CountDownLatch(1);
        final Thread shutdownHook = new Thread(running::close, "jlvs-shutdown");
        // The net for every way the JVM may end without our handlers (-Xrs, an ignored SIGINT, System.exit).
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try
        {
            director.start();
            Signals.handle("TERM", stop::countDown);
            Signals.handle("INT", stop::countDown);
            Signals.handle("HUP", () -> reloadOnSignal(out, err));
            out.println("jlvs: " + describe(loaded.specs()) + " on " + interfaceName + " (" + io +
                (workers > 1 ? ", " + workers + " workers" : "") + "), control socket " + running.control.path() +
                (backup ? ", backup (no ARP for the VIPs)" : ""));
            out.flush();
            awaitStop(stop, err);
        }
        finally
        {
            running.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // The JVM is already running the hook; it found everything closed.
            }
        }
        out.println("jlvs: stopped");
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Why {@code --workers} cannot be served as asked, or null: the transport must take that many workers, and each
     * worker's shard needs room for at least one connection.
     */
    static String checkWorkers(final int workers, final Transports.Kind io, final int connections)
    {
        final String refused = Transports.checkWorkers(workers, io);
        if (refused != null)
        {
            return refused;
        }
        if (workers > 1 && connections < workers)
        {
            return "--connections must be at least --workers (each worker's shard holds connections / workers), " +
                "connections=" + connections + ", workers=" + workers;
        }
        return null;
    }

    private void awaitStop(final CountDownLatch stop, final PrintWriter err) throws InterruptedException
    {
        boolean failureReported = false;
        while (!stop.await(FAILURE_POLL_MS, TimeUnit.MILLISECONDS))
        {
            final Throwable failure = director.failure();
            if (failure != null && !failureReported)
            {
                failureReported = true;
                err.println("jlvs: dataplane error (forwarding goes on): " + describe(failure));
                err.flush();
            }
        }
    }

    /** Parses the file, prints its warnings and what is ignored, maps and checks it. */
    private Loaded load(final PrintWriter err) throws ConfigException
    {
        final DirectorConfig parsed = KeepalivedConfig.parse(config);
        for (final ConfigWarning warning : parsed.warnings())
        {
            err.println("jlvs: warning: " + warning);
        }
        final ConfigMapper.Mapping mapping = ConfigMapper.map(parsed);
        for (final String note : mapping.notes())
        {
            err.println("jlvs: warning: " + note);
        }
        err.flush();
        return new Loaded(MonitoredService.pair(parsed.services(), mapping.specs()), mapping.specs());
    }

    /**
     * Re-reads the file and hands it whole to the health monitor; on any error the running configuration stays.
     * Runtime edits made through the control socket since are replaced too: the file is the configuration.
     *
     * @throws IllegalArgumentException naming the error, for the control socket to pass on.
     */
    private synchronized String reload(final PrintWriter err)
    {
        try
        {
            // Validation first, completely: a file the director would refuse never reaches the monitor.
            final Loaded loaded = load(err);
            runtime.replace(loaded.services());
            return "reloaded " + config + ": " + describe(loaded.specs());
        }
        catch (final ConfigException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(config + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * What the health monitor publishes goes to the director here, on whichever thread the monitor publishes from.
     *
     * @throws IllegalArgumentException when the director refuses the list; the monitor keeps offering it.
     */
    private void publish(final List<VirtualServiceSpec> effective)
    {
        director.apply(effective);
    }

    private String reloadOnRequest()
    {
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final String result = reload(err);
            spec.commandLine().getOut().println("jlvs: " + result + " (control socket)");
            spec.commandLine().getOut().flush();
            return result;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("jlvs: reload failed, the running configuration stays: " + ex.getMessage());
            err.flush();
            throw ex;
        }
    }

    private void reloadOnSignal(final PrintWriter out, final PrintWriter err)
    {
        try
        {
            out.println("jlvs: " + reload(err) + " (SIGHUP)");
            out.flush();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("jlvs: reload failed, the running configuration stays: " + ex.getMessage());
            err.flush();
        }
    }

    /** {@code running 2 virtual services with 5 real servers}. */
    static String describe(final List<VirtualServiceSpec> specs)
    {
        int servers = 0;
        for (final VirtualServiceSpec service : specs)
        {
            servers += service.realServers().size();
        }
        return "running " + specs.size() + (specs.size() == 1 ? " virtual service" : " virtual services") +
            " with " + servers + (servers == 1 ? " real server" : " real servers");
    }

    private static String describe(final Throwable ex)
    {
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    /**
     * IPVS's estimation timer, on a control-plane thread of its own: every 2 seconds the rate estimators sample the
     * real servers' counters (which any thread may read) for {@code list --rate}, and the forwarding latency is
     * sampled for {@code list --latency}.
     */
    private ScheduledExecutorService rateTimer(final ServerStatistics statistics, final LatencyStatistics latency)
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "jlvs-rate-estimator");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() ->
        {
            final long nowNs = System.nanoTime();
            statistics.sample(director.table(), nowNs);
            latency.sample(nowNs);
        }, 0, ServerStatistics.SAMPLE_INTERVAL_NS, TimeUnit.NANOSECONDS);
        return timer;
    }

    /**
     * A configuration as the monitor takes it: each service with its spec.
     *
     * @param services the services, paired with their specs, in file order.
     * @param specs    the specs alone, every real server in.
     */
    private record Loaded(List<MonitoredService> services, List<VirtualServiceSpec> specs)
    {
    }

    /** What a running director holds open; closed once, by whoever stops first (main thread or shutdown hook). */
    private static final class Running implements AutoCloseable
    {
        private final Director director;
        private final HealthMonitor health;
        private final ScheduledExecutorService rateTimer;
        private final ControlServer control;
        private final AtomicBoolean closed = new AtomicBoolean();

        Running(
            final Director director, final HealthMonitor health, final ScheduledExecutorService rateTimer,
            final ControlServer control)
        {
            this.director = director;
            this.health = health;
            this.rateTimer = rateTimer;
            this.control = control;
        }

        @Override
        public void close()
        {
            if (!closed.compareAndSet(false, true))
            {
                return;
            }
            try
            {
                control.close();
                rateTimer.shutdownNow();
            }
            finally
            {
                try
                {
                    // Before the director: no check publishes into a closed director, and omega's scripts run.
                    health.close();
                }
                finally
                {
                    director.close();
                }
            }
        }
    }
}
