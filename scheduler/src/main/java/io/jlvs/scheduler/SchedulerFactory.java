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
}
