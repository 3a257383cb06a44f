package io.jlvs.cli.control;

import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.healthcheck.MonitoredService;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The services a running director is asked to run: the configuration file's, with the runtime edits made since (the
 * ipvsadm verbs on the control socket) on top. Every change, a reload of the file or one edit, replaces the whole
 * list at once and goes to the health monitor, which publishes what is healthy of it to the director. A reload of
 * the file replaces everything, so it also undoes the runtime edits.
 * <p>
 * A change is checked completely before anything moves (the director's own checks, and the extra ones of the
 * {@code run} command); a change the monitor or the director still refuses is rolled back.
 */
public final class RuntimeServices
{
    private final Consumer<List<MonitoredService>> monitor;
    private final Consumer<List<MonitoredService>> check;
    /** Written under this object's lock; read without it by the publisher, which runs on checker threads. */
    private volatile List<MonitoredService> current;

    /**
     * @param initial the services the monitor already runs.
     * @param monitor takes a whole new list ({@code HealthMonitor::reload}); it may throw to refuse it.
     * @param check   extra checks of a list before it goes anywhere, throwing {@link IllegalArgumentException}
     *                naming the fault (the {@code run} command's Local forwarding check); may do nothing.
     */
    public RuntimeServices(
        final List<MonitoredService> initial,
        final Consumer<List<MonitoredService>> monitor,
        final Consumer<List<MonitoredService>> check)
    {
        this.current = List.copyOf(initial);
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** The services as configured and edited (not what health checks leave of them). */
    public List<MonitoredService> current()
    {
        return current;
    }

    /** The specs of {@link #current()}, every real server in, in order. */
    public List<VirtualServiceSpec> currentSpecs()
    {
        final List<MonitoredService> services = current;
        final List<VirtualServiceSpec> specs = new ArrayList<>(services.size());
        for (final MonitoredService service : services)
        {
            specs.add(service.spec());
        }
        return specs;
    }

    /**
     * Replaces the whole list.
     *
     * @throws IllegalArgumentException naming what is wrong; the running services are then unchanged.
     */
    public synchronized void replace(final List<MonitoredService> next)
    {
        validate(next);
        final List<MonitoredService> previous = current;
        current = List.copyOf(next);
        try
        {
            monitor.accept(current);
        }
        catch (final RuntimeException ex)
        {
            current = previous;
            try
            {
                monitor.accept(previous);
            }
            catch (final RuntimeException again)
            {
                ex.addSuppressed(again);
            }
            throw ex instanceof IllegalArgumentException ? (IllegalArgumentException)ex :
                new IllegalArgumentException(ex.getMessage() != null ? ex.getMessage() : ex.toString(), ex);
        }
    }

    /**
     * Applies {@code edit} to the current list and the result as {@link #replace} does, atomically with respect to
     * other changes.
     *
     * @throws IllegalArgumentException from the edit or the checks; the running services are then unchanged.
     */
    public synchronized List<MonitoredService> edit(final UnaryOperator<List<MonitoredService>> edit)
    {
        final List<MonitoredService> next = edit.apply(current);
        replace(next);
        return next;
    }

    /** The director's own checks on the whole list, then the extra ones. */
    private void validate(final List<MonitoredService> next)
    {
        final List<VirtualServiceSpec> specs = new ArrayList<>(next.size());
        for (final MonitoredService service : next)
        {
            specs.add(service.spec());
        }
        // A builder of our own on an empty table: checks everything apply() checks without touching the live one.
        new ServiceTableBuilder().build(specs, ServiceTable.EMPTY);
        check.accept(next);
    }
}
