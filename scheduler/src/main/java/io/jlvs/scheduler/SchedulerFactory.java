package io.jlvs.scheduler;

/**
 * Builds a {@link Scheduler} for one virtual service; registered by IPVS name in {@link Schedulers}.
 * A researcher adds a scheduler by writing one class and one factory and registering it (or listing it in
 * {@code META-INF/services/io.jlvs.scheduler.SchedulerFactory}).
 */
public interface SchedulerFactory
{
    /** The IPVS name, e.g. {@code wlc}. */
    String name();

    /**
     * @param servers the service's real servers, in configuration order; the array is owned by the scheduler.
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
