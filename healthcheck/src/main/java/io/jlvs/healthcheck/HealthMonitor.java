package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.HealthCheckConfig;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.MiscCheck;
import io.jlvs.config.PathCheck;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.TcpCheck;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * keepalived's checker daemon for jlvs: runs every real server's checkers, tracks each server's up/down state and
 * dynamic weight and each service's quorum, and whenever what the director should run changes, hands the whole
 * effective list of services to a callback (the CLI passes {@code director::apply}). What "effective" means is in
 * {@link ServiceHealth}: down servers left out or at weight 0 ({@code inhibit_on_failure}), the sorry server when the
 * quorum is lost.
 * <p>
 * Threads: attempts run on the scheduler's threads (never a dataplane thread) and outside the monitor's lock; their
 * verdicts are applied under the lock; the callback is called outside it, one call at a time, always with the latest
 * state, and only when the list differs from the one last accepted (a refused list is offered again, updated,
 * after the next attempt). Notify scripts are handed to a {@link Notifier}
 * that runs them in the background with a time limit.
 * <p>
 * Life cycle: {@link #start()} publishes the starting list (alpha servers out, sorry server in if the quorum is
 * down) and schedules each checker's first attempt after keepalived's bootstrap delay plus a random warmup;
 * {@link #reload} replaces the configuration, keeping the state of the services, servers and checkers that stay
 * (keepalived's {@code clear_diff_services}/{@code migrate_checkers}); {@link #close()} stops the checks and, for
 * {@code omega} services, runs the down scripts.
 */
public final class HealthMonitor implements AutoCloseable
{
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /**
     * How long {@link #close()} waits for the scripts it started (omega's); keepalived gives each shutdown script
     * 1 s, and several may be queued.
     */
    private static final long SHUTDOWN_SCRIPTS_WAIT_MS = 5_000;

    private final Object lock = new Object();
    private final Object publishLock = new Object();
    private final Consumer<List<VirtualServiceSpec>> publisher;
    private final HealthMonitorOptions options;
    private final CheckScheduler scheduler;
    private final boolean ownsScheduler;
    private final Notifier notifier;
    private final boolean ownsNotifier;
    private final Random random;
    private final Consumer<String> log;
    /** Guarded by {@link #lock}. */
    private List<ServiceHealth> services;
    private boolean started;
    private boolean closed;
    /** Guarded by {@link #publishLock}: the list the callback last accepted. */
    private List<VirtualServiceSpec> published;

    /**
     * @param services  the configured services, as {@link MonitoredService#pair} makes them.
     * @param publisher receives each new effective list ({@code director::apply}); it may throw to refuse one.
     * @param options   threads, context, scheduler, notifier.
     */
    public HealthMonitor(
        final List<MonitoredService> services,
        final Consumer<List<VirtualServiceSpec>> publisher,
        final HealthMonitorOptions options)
    {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.options = options;
        this.log = options.log();
        this.random = new Random(options.randomSeed());
        this.ownsScheduler = options.scheduler() == null;
        this.scheduler = ownsScheduler ? new ExecutorCheckScheduler(options.checkThreads()) : options.scheduler();
        this.ownsNotifier = options.notifier() == null;
        this.notifier = ownsNotifier ?
            new NotifyScripts(options.notifyTimeoutMs(), SHUTDOWN_SCRIPTS_WAIT_MS, log) : options.notifier();
        final List<ServiceHealth> built = new ArrayList<>(services.size());
        for (final MonitoredService service : services)
        {
            built.add(build(service));
        }
        this.services = built;
    }

    /**
     * Publishes the starting list and schedules the first attempts.
     *
     * @throws IllegalStateException when already started or closed.
     * @throws RuntimeException      whatever the callback throws to refuse the list.
     */
    public void start()
    {
        synchronized (lock)
        {
            if (closed || started)
            {
                throw new IllegalStateException(closed ? "health monitor closed" : "health monitor already started");
            }
            started = true;
            final long nowNs = scheduler.nowNs();
            for (final ServiceHealth service : services)
            {
                startService(service, nowNs);
            }
        }
        publish(true);
    }

    /**
     * Replaces the configuration. Services are matched by address (or fwmark, or group), servers by address and
     * port, checkers by type and target: those that stay keep their state (up/down, weight, retries, quorum) and
     * their schedule; new servers start as a fresh start would make them (down with alpha); removed servers that
     * were up run their {@code notify_down}, removed services with quorum their {@code quorum_down}. The new
     * effective list is published before this returns.
     *
     * @param next the new configuration, already accepted by the CLI's mapper (so the director will accept it).
     * @throws IllegalStateException when closed.
     * @throws RuntimeException      whatever the callback throws; the new configuration is kept, and publishing is
     *                               tried again after the next check completes.
     */
    public void reload(final List<MonitoredService> next)
    {
        synchronized (lock)
        {
            if (closed)
            {
                throw new IllegalStateException("health monitor closed");
            }
            final long nowNs = scheduler.nowNs();
            final Map<String, ServiceHealth> previous = new LinkedHashMap<>();
            for (final ServiceHealth service : services)
            {
                previous.put(service.desired.key(), service);
            }
            final List<ServiceHealth> result = new ArrayList<>(next.size());
            for (final MonitoredService wanted : next)
            {
                final ServiceHealth kept = previous.remove(wanted.key());
                if (kept == null)
                {
                    final ServiceHealth added = build(wanted);
                    if (started)
                    {
                        startService(added, nowNs);
                    }
                    result.add(added);
                }
                else
                {
                    migrateService(kept, wanted, nowNs);
                    result.add(kept);
                }
            }
            for (final ServiceHealth removed : previous.values())
            {
                log.accept("Removing Virtual Server " + removed.name());
                retireService(removed);
            }
            services = result;
        }
        publish(true);
    }

    /** The list the director should run now (what the callback last got, unless it refused it). */
    public List<VirtualServiceSpec> effectiveSpecs()
    {
        synchronized (lock)
        {
            return effective();
        }
    }

    /** Every service's quorum and every server's state, in configuration order. */
    public List<HealthStatus.Service> status()
    {
        synchronized (lock)
        {
            final List<HealthStatus.Service> list = new ArrayList<>(services.size());
            for (final ServiceHealth service : services)
            {
                list.add(service.status());
            }
            return list;
        }
    }

    /**
     * Stops every checker (an attempt in flight finishes and is ignored), runs the {@code notify_down} of alive
     * servers and the {@code quorum_down} of {@code omega} services, and waits a bounded time for those scripts.
     * The callback is not called: the director is going away too. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            for (final ServiceHealth service : services)
            {
                for (final ServerHealth server : service.servers)
                {
                    cancelCheckers(server);
                    if (service.config().omega() && server.alive)
                    {
                        ServiceHealth.run(notifier, server.config.notifyDown(), event(server, "shutting down"));
                    }
                }
                if (service.config().omega())
                {
                    ServiceHealth.run(notifier, service.config().quorumDown(),
                        "virtual service " + service.name() + " shutting down");
                }
            }
        }
        if (ownsScheduler)
        {
            scheduler.close();
        }
        if (ownsNotifier)
        {
            notifier.close();
        }
    }

    /** Runs one attempt of {@code run} (on a checker thread), then applies its verdict. */
    void attempt(final CheckerRun run, final int generation)
    {
        final Checker checker;
        synchronized (lock)
        {
            if (closed || !run.begin(generation))
            {
                return;
            }
            checker = run.checker();
        }
        final long startedNs = scheduler.nowNs();
        CheckOutcome outcome;
        try
        {
            outcome = options.context().run(checker);
            if (outcome == null)
            {
                outcome = CheckOutcome.fail(checker + ": no outcome");
            }
        }
        catch (final InterruptedException ex)
        {
            // Closing: the verdict is dropped below.
            Thread.currentThread().interrupt();
            outcome = CheckOutcome.fail(checker + ": interrupted");
        }
        catch (final Exception ex)
        {
            outcome = CheckOutcome.fail(checker + ": " + ex);
        }
        synchronized (lock)
        {
            run.end();
            if (closed || run.cancelled())
            {
                return;
            }
            apply(run, outcome, startedNs);
        }
        publish(false);
    }

    private void apply(final CheckerRun run, final CheckOutcome outcome, final long startedNs)
    {
        final ServerHealth server = run.server;
        final long delayMs = run.state.onResult(outcome.passed(), run.config().timing());
        if (outcome.setsWeight() && outcome.weight() != server.weight)
        {
            log.accept("Changing weight from " + server.weight + " to " + outcome.weight() + " for " +
                (server.alive ? "" : "in") + "active service " + server.endpoint() + " of VS " +
                server.service.name());
            server.weight = outcome.weight();
            server.service.updateQuorum(false, false, notifier, log);
        }
        serverTransition(server, outcome.detail());
        final long nowNs = scheduler.nowNs();
        long delayNs = delayMs * NANOS_PER_MILLI;
        if (run.state.rule().timedFromStart())
        {
            delayNs = Math.max(0, delayNs - (nowNs - startedNs));
        }
        run.schedule(scheduler, this, nowNs, delayNs);
    }

    /** keepalived's {@code perform_svr_state}: the server follows its checkers; scripts and quorum follow it. */
    private void serverTransition(final ServerHealth server, final String why)
    {
        final boolean alive = server.allCheckersUp();
        if (alive == server.alive)
        {
            return;
        }
        server.alive = alive;
        final boolean inhibit = server.config.inhibitOnFailure();
        log.accept((alive ? inhibit ? "Enabling" : "Adding" : inhibit ? "Disabling" : "Removing") + " service " +
            server.endpoint() + (inhibit ? " of" : alive ? " to" : " from") + " VS " + server.service.name() +
            (why == null ? "" : " (" + why + ")"));
        ServiceHealth.run(notifier, alive ? server.config.notifyUp() : server.config.notifyDown(),
            event(server, alive ? "up" : "down"));
        server.service.updateQuorum(false, false, notifier, log);
    }

    private ServiceHealth build(final MonitoredService desired)
    {
        final ServiceHealth service = new ServiceHealth(desired);
        final List<RealServerConfig> configs = desired.config().realServers();
        final List<RealServerSpec> specs = desired.spec().realServers();
        for (int i = 0; i < configs.size(); i++)
        {
            service.servers.add(newServer(service, configs.get(i), specs.get(i)));
        }
        service.initialQuorum();
        return service;
    }

    /** A server as a start makes it: alpha checkers down until they pass, the others up. */
    private ServerHealth newServer(final ServiceHealth service, final RealServerConfig config, final RealServerSpec spec)
    {
        final ServerHealth server = new ServerHealth(service, config, spec);
        for (final HealthCheckConfig check : config.checks())
        {
            server.checkers.add(new CheckerRun(server, check, createChecker(check), !check.timing().alpha()));
        }
        server.alive = server.allCheckersUp();
        return server;
    }

    private Checker createChecker(final HealthCheckConfig check)
    {
        if (check instanceof MiscCheck && ((MiscCheck)check).user() != null)
        {
            log.accept(check.file() + ':' + check.line() + ": MISC_CHECK user " + ((MiscCheck)check).user() +
                " is not applied: the script runs as the director's user");
        }
        return options.checkers().create(check);
    }

    private void startService(final ServiceHealth service, final long nowNs)
    {
        for (final ServerHealth server : service.servers)
        {
            for (final CheckerRun run : server.checkers)
            {
                scheduleFirst(run, nowNs);
            }
        }
        service.updateQuorum(true, false, notifier, log);
    }

    /** keepalived's {@code register_checkers_thread}: bootstrap delay plus a random share of the warmup. */
    private void scheduleFirst(final CheckerRun run, final long nowNs)
    {
        final long warmupMs = run.config().timing().warmupMs();
        final long delayMs = options.bootstrapDelayMs() + (warmupMs > 0 ? (long)(random.nextDouble() * warmupMs) : 0);
        run.schedule(scheduler, this, nowNs, delayMs * NANOS_PER_MILLI);
    }

    private void migrateService(final ServiceHealth service, final MonitoredService wanted, final long nowNs)
    {
        final RealServerConfig oldSorry = service.config().sorryServer();
        final RealServerConfig newSorry = wanted.config().sorryServer();
        final boolean sorryAlreadyIn = service.sorryServerActive() && newSorry != null &&
            oldSorry.address() == newSorry.address() && oldSorry.port() == newSorry.port();
        service.desired = wanted;
        final Map<String, ServerHealth> previous = new LinkedHashMap<>();
        for (final ServerHealth server : service.servers)
        {
            previous.put(server.endpoint(), server);
        }
        final List<RealServerConfig> configs = wanted.config().realServers();
        final List<RealServerSpec> specs = wanted.spec().realServers();
        final List<ServerHealth> result = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++)
        {
            final ServerHealth kept = previous.remove(configs.get(i).endpoint());
            if (kept == null)
            {
                final ServerHealth added = newServer(service, configs.get(i), specs.get(i));
                if (started)
                {
                    added.checkers.forEach(run -> scheduleFirst(run, nowNs));
                }
                result.add(added);
            }
            else
            {
                migrateServer(kept, configs.get(i), specs.get(i), nowNs);
                result.add(kept);
            }
        }
        for (final ServerHealth removed : previous.values())
        {
            log.accept("service " + removed.endpoint() + " of VS " + service.name() + " no longer exists");
            retireServer(removed);
        }
        service.servers = result;
        service.updateQuorum(true, sorryAlreadyIn, notifier, log);
    }

    /** keepalived's {@code migrate_checkers}, for one server that stays. */
    private void migrateServer(
        final ServerHealth server, final RealServerConfig config, final RealServerSpec spec, final long nowNs)
    {
        if (spec.weight() != server.spec.weight())
        {
            // The operator changed the weight: it wins over what a dynamic MISC_CHECK set before.
            server.weight = spec.weight();
        }
        server.config = config;
        server.spec = spec;
        final List<CheckerRun> unmatched = new ArrayList<>(server.checkers);
        final List<HealthCheckConfig> checks = config.checks();
        final CheckerRun[] runs = new CheckerRun[checks.size()];
        boolean anyFailed = false;
        boolean anyRan = false;
        for (int i = 0; i < checks.size(); i++)
        {
            final HealthCheckConfig check = checks.get(i);
            final CheckerRun match = takeSameTarget(unmatched, check);
            if (match == null)
            {
                continue;
            }
            final boolean timingChanged = !match.config().timing().equals(check.timing());
            match.reconfigure(check, createChecker(check));
            final long loopNs = check.timing().delayLoopMs() * NANOS_PER_MILLI;
            if (timingChanged && match.scheduled() && match.dueNs() - nowNs > loopNs)
            {
                match.schedule(scheduler, this, nowNs, loopNs);
            }
            anyFailed |= !match.state.up();
            anyRan |= match.state.hasRun();
            runs[i] = match;
        }
        unmatched.forEach(CheckerRun::cancel);
        // A server already failing (or never yet checked while down) gets its new checkers in the pessimistic state.
        final boolean degraded = anyFailed || (!server.alive && !anyRan);
        final List<CheckerRun> result = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++)
        {
            if (runs[i] == null)
            {
                final HealthCheckConfig check = checks.get(i);
                final CheckTiming timing = check.timing();
                runs[i] = new CheckerRun(server, check, createChecker(check), !(degraded && timing.alpha()));
                if (degraded)
                {
                    runs[i].state.oneFailureIsEnough(timing.retry());
                }
                if (started)
                {
                    scheduleFirst(runs[i], nowNs);
                }
            }
            result.add(runs[i]);
        }
        server.checkers = result;
        final boolean alive = server.allCheckersUp();
        if (alive != server.alive)
        {
            server.alive = alive;
            log.accept((alive ? "Adding" : "Removing") + " service " + server.endpoint() + " of VS " +
                server.service.name() + " (reload)");
            ServiceHealth.run(notifier, alive ? config.notifyUp() : config.notifyDown(),
                event(server, alive ? "up" : "down"));
        }
    }

    private void retireService(final ServiceHealth service)
    {
        for (final ServerHealth server : service.servers)
        {
            retireServer(server);
        }
        if (service.quorumUp)
        {
            service.quorumUp = false;
            ServiceHealth.run(notifier, service.config().quorumDown(),
                "virtual service " + service.name() + " removed");
        }
    }

    /** keepalived's {@code clear_service_rs}: a removed server that was up runs its {@code notify_down}. */
    private void retireServer(final ServerHealth server)
    {
        cancelCheckers(server);
        if (server.alive)
        {
            server.alive = false;
            ServiceHealth.run(notifier, server.config.notifyDown(), event(server, "removed"));
        }
    }

    private static void cancelCheckers(final ServerHealth server)
    {
        for (final CheckerRun run : server.checkers)
        {
            run.cancel();
        }
    }

    /** The checker in {@code candidates} that probes what {@code check} probes (same type and target), removed. */
    private static CheckerRun takeSameTarget(final List<CheckerRun> candidates, final HealthCheckConfig check)
    {
        final HealthCheckConfig target = target(check);
        for (int i = 0; i < candidates.size(); i++)
        {
            if (target(candidates.get(i).config()).equals(target))
            {
                return candidates.remove(i);
            }
        }
        return null;
    }

    /** A checker's configuration without where it was written and when it runs: what it probes. */
    private static HealthCheckConfig target(final HealthCheckConfig check)
    {
        final CheckTiming none = new CheckTiming(0, 0, 0, 0, false);
        if (check instanceof TcpCheck)
        {
            return new TcpCheck("", 0, ((TcpCheck)check).connection(), none);
        }
        if (check instanceof HttpGetCheck)
        {
            final HttpGetCheck http = (HttpGetCheck)check;
            return new HttpGetCheck("", 0, http.ssl(), http.connection(), none, http.urls(), http.httpProtocol(),
                http.enableSni());
        }
        if (check instanceof PathCheck)
        {
            final PathCheck path = (PathCheck)check;
            return new PathCheck("", 0, path.realServer(), path.method(), path.targets(), path.connectTimeoutMs(), none);
        }
        final MiscCheck misc = (MiscCheck)check;
        return new MiscCheck("", 0, none, misc.path(), misc.command(), misc.timeoutMs(), misc.dynamic(), misc.user());
    }

    private static String event(final ServerHealth server, final String what)
    {
        return "real server " + server.endpoint() + " of " + server.service.name() + ' ' + what;
    }

    /** Caller holds {@link #lock}. */
    private List<VirtualServiceSpec> effective()
    {
        final List<VirtualServiceSpec> specs = new ArrayList<>(services.size());
        for (final ServiceHealth service : services)
        {
            specs.add(service.effectiveSpec());
        }
        return List.copyOf(specs);
    }

    /**
     * Hands the latest effective list to the callback when it differs from the last one accepted. Serialised by
     * {@link #publishLock} so that lists arrive in order; the state lock is held only to build the list.
     */
    private void publish(final boolean rethrow)
    {
        synchronized (publishLock)
        {
            final List<VirtualServiceSpec> specs;
            synchronized (lock)
            {
                if (closed)
                {
                    return;
                }
                specs = effective();
            }
            if (specs.equals(published))
            {
                return;
            }
            try
            {
                publisher.accept(specs);
                published = specs;
            }
            catch (final RuntimeException ex)
            {
                log.accept("the director refused the services after a health change (tried again after the next " +
                    "check): " + ex.getMessage());
                if (rethrow)
                {
                    throw ex;
                }
            }
        }
    }
}
