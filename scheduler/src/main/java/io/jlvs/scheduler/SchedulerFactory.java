package io.jlvs.scheduler;

/**
 * Builds a {@link Scheduler} for one virtual service; registered by IPVS name in {@link Schedulers}.
 * <p>
 * A researcher adds a scheduler as one class with this factory nested in it, registered with
 * {@link Schedulers#register(SchedulerFactory)} or listed in
 * {@code META-INF/services/io.jlvs.scheduler.SchedulerFactory} (the steps are in {@link Scheduler}). Factories run
 * on the control thread: they may allocate and throw {@link IllegalArgumentException} for a server set they cannot
 * serve.
 * <p>
 * A change of a weight, of an enabled flag or of the server set is a rebuild: the control plane calls
 * {@link #create(RealServer[], SchedulerFlags, Scheduler)} with the instance in use and publishes the result, as
 * IPVS calls a scheduler's {@code add_dest}/{@code del_dest}/{@code upd_dest}.
 */
public interface SchedulerFactory
{
    /** The IPVS name, e.g. {@code wlc}. */
    String name();

    /**
     * @param servers the service's real servers, in IPVS destination-list order (see {@link Scheduler}); the
     *                scheduler keeps the array and never modifies it.
     * @param flags   scheduler flags ({@code sh-fallback}, {@code sh-port}, {@code mh-fallback}, {@code mh-port},
     *                ...); never null.
     */
    Scheduler create(RealServer[] servers, SchedulerFlags flags);

    /**
     * Builds the scheduler that replaces {@code previous} after a weight or server-set change, carrying over what
     * IPVS keeps across {@code add_dest}/{@code del_dest}/{@code upd_dest} (the rr cursor, the wrr current weight,
     * the lblc/lblcr cache). Runs on the control thread while the forwarding thread may still use
     * {@code previous}: it reads {@code previous} and never writes it. The default keeps nothing.
     *
     * @param previous the instance being replaced, of any scheduler, or null.
     */
    default Scheduler create(final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
    {
        return create(servers, flags);
    }
}
