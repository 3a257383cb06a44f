package io.jlvs.cli.control;

import io.jlvs.cli.ipvsadm.IpvsadmCommand;
import io.jlvs.cli.ipvsadm.Restore;
import io.jlvs.cli.ipvsadm.SaveFormat;
import io.jlvs.cli.ipvsadm.ServiceEdits;
import io.jlvs.cli.listing.DirectorSnapshot;
import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.cli.listing.LatencyStatistics;
import io.jlvs.cli.listing.ListRequest;
import io.jlvs.cli.listing.Listing;
import io.jlvs.cli.listing.ServerStatistics;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.service.VirtualService;
import io.jlvs.scheduler.RealServer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The control requests of a running director: {@code list ...} renders a snapshot in ipvsadm's layout,
 * {@code reload} runs the reload the {@code run} command supplies, {@code ipvsadm -A|-E|-D|-C|-a|-e|-d|-Z ...} edits
 * the running services (or zeroes counters) as ipvsadm would, {@code save} prints the table as {@code ipvsadm -S -n}
 * and {@code restore} (with the rules as its body) applies them all or none.
 * <p>
 * Runtime edits apply on top of the configuration file's services until the next reload, which restores the file's.
 */
public final class DirectorControl implements ControlHandler
{
    public static final String RELOAD = "reload";
    /** {@code ipvsadm ARGS}: one ipvsadm command, as {@link IpvsadmCommand#toArgs()} writes it. */
    public static final String IPVSADM = "ipvsadm";
    public static final String SAVE = "save";
    /** {@code restore}, a newline and the rules: {@link Restore}. */
    public static final String RESTORE = "restore";

    private final Director director;
    private final Reload reload;
    private final RuntimeServices runtime;
    private final ServerStatistics statistics;
    /** Null when nothing samples this director's latency. */
    private final LatencyStatistics latency;
    private final long forwardingTimeoutMs;

    /** What {@code reload} does: re-read the configuration and apply it, answering with what happened. */
    @FunctionalInterface
    public interface Reload
    {
        /**
         * @return a one-line summary of what was applied.
         * @throws IllegalArgumentException naming what is wrong; the running configuration stays.
         */
        String reload();
    }

    /**
     * @param reload              what {@code reload} does, or null when this director has no configuration file.
     * @param forwardingTimeoutMs how long a request waits for the forwarding threads (connection listings).
     */
    public DirectorControl(final Director director, final Reload reload, final long forwardingTimeoutMs)
    {
        this(director, reload, null, new ServerStatistics(), forwardingTimeoutMs);
    }

    /**
     * @param runtime    the services runtime edits change, or null when this director takes none.
     * @param statistics the servers' counters as {@code zero} left them.
     */
    public DirectorControl(
        final Director director,
        final Reload reload,
        final RuntimeServices runtime,
        final ServerStatistics statistics,
        final long forwardingTimeoutMs)
    {
        this(director, reload, runtime, statistics, null, forwardingTimeoutMs);
    }

    /**
     * @param latency the forwarding latency as a timer samples it, or null when nothing samples it
     *                ({@code list latency} then says it is not sampled).
     */
    public DirectorControl(
        final Director director,
        final Reload reload,
        final RuntimeServices runtime,
        final ServerStatistics statistics,
        final LatencyStatistics latency,
        final long forwardingTimeoutMs)
    {
        this.director = director;
        this.reload = reload;
        this.runtime = runtime;
        this.statistics = statistics;
        this.latency = latency;
        this.forwardingTimeoutMs = forwardingTimeoutMs;
    }

    @Override
    public boolean takesBody(final String requestLine)
    {
        return RESTORE.equals(requestLine.trim());
    }

    @Override
    public String handle(final String request) throws InterruptedException
    {
        final int newline = request.indexOf('\n');
        final String line = newline < 0 ? request : request.substring(0, newline);
        final List<String> words = Arrays.asList(line.trim().split("\\s+"));
        final String verb = words.get(0);
        if (ListRequest.VERB.equals(verb))
        {
            final ListRequest list = ListRequest.parse(words.subList(1, words.size()));
            return IpvsadmFormat.render(snapshot(list.connections()), list);
        }
        if (IPVSADM.equals(verb) && words.size() > 1)
        {
            final IpvsadmCommand command = IpvsadmCommand.parse(words.subList(1, words.size()));
            if (command.verb() == IpvsadmCommand.Verb.ZERO)
            {
                zero(command);
            }
            else
            {
                editable().edit(services -> ServiceEdits.apply(services, command));
            }
            return "";
        }
        if (SAVE.equals(verb) && words.size() == 1)
        {
            return SaveFormat.save(snapshot(false));
        }
        if (RESTORE.equals(verb) && words.size() == 1)
        {
            final String rules = newline < 0 ? "" : request.substring(newline + 1);
            editable().edit(services -> Restore.apply(services, rules));
            return "";
        }
        if (RELOAD.equals(verb) && words.size() == 1)
        {
            if (reload == null)
            {
                throw new IllegalArgumentException("this director was not started from a configuration file");
            }
            return reload.reload() + '\n';
        }
        throw new IllegalArgumentException("unknown request '" + line.trim() + "', expected 'list [options]', " +
            "'reload', 'ipvsadm ARGS', 'save' or 'restore'");
    }

    private Listing snapshot(final boolean withConnections) throws InterruptedException
    {
        try
        {
            return DirectorSnapshot.take(director, withConnections, forwardingTimeoutMs, statistics, latency);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalArgumentException("the forwarding thread did not answer within " +
                forwardingTimeoutMs + " ms");
        }
    }

    private RuntimeServices editable()
    {
        if (runtime == null)
        {
            throw new IllegalArgumentException("this director takes no runtime edits");
        }
        return runtime;
    }

    /**
     * {@code ipvsadm -Z [service]}: the servers of that service, or of every service, count from zero; without a
     * service the director's latency total too, as IPVS's {@code ip_vs_zero_all} zeroes its global statistics.
     */
    private void zero(final IpvsadmCommand command)
    {
        final List<RealServer> servers = new ArrayList<>();
        boolean found = false;
        for (final VirtualService service : director.table().services())
        {
            if (command.service() == null || command.service().matches(service.spec()))
            {
                found = true;
                servers.addAll(Arrays.asList(service.servers()));
            }
        }
        if (!found && command.service() != null)
        {
            throw new IllegalArgumentException("No such service: " + command.service());
        }
        statistics.retain(director.table());
        statistics.zero(servers);
        if (command.service() == null && latency != null)
        {
            latency.zero(System.nanoTime());
        }
    }
}
