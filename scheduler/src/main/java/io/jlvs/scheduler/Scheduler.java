package io.jlvs.scheduler;

/**
 * An IPVS scheduler: picks the real server for a new connection of one virtual service.
 * <p>
 * One instance serves one virtual service and holds that service's scheduling state (the rr cursor, the wrr
 * current weight, the Maglev table). It is built by the control plane from the service's server set and then used
 * by exactly one forwarding thread; when the set or a weight changes, the control plane builds a new instance and
 * publishes it, so {@link #select} never races a change. {@link #select} allocates nothing, locks nothing and
 * throws nothing.
 * <p>
 * The servers are scanned in array order, which stands for IPVS's destination list. The kernel adds a new
 * destination at the head of that list, so a kernel director fed A, B, C in that order scans C, B, A; pass the
 * array in that order to reproduce its choices pick for pick.
 *
 * <h2>Adding a scheduler</h2>
 * One class does it; nothing in the dataplane changes.
 * <ol>
 * <li>Implement this interface. {@code select} reads the servers' live state: skip a server unless
 * {@link RealServer#isAvailable()}, and, as every IPVS scheduler does, one that {@link RealServer#isOverloaded()}
 * or has {@link RealServer#weight()} 0. Load is {@link RealServer#activeConns()},
 * {@link RealServer#inactiveConns()} or IPVS's {@link RealServer#overhead()}. Keep state in fields and
 * preallocated arrays; no collections, iterators, boxing, lambdas capturing state or exceptions on this path.
 * Return null when no server fits.</li>
 * <li>Nest a {@code public static final class Factory implements SchedulerFactory} with a public no-argument
 * constructor; {@link SchedulerFactory#name()} is the name the configuration uses ({@code lb_algo} in
 * keepalived.conf). Override {@link SchedulerFactory#create(RealServer[], SchedulerFlags, Scheduler)} only if
 * some state should survive a weight change.</li>
 * <li>Make it known by name: call {@link Schedulers#register(SchedulerFactory)} at start-up, or put the jar on the
 * class path with a line naming the factory ({@code org.example.MyScheduler$Factory}) in
 * {@code META-INF/services/io.jlvs.scheduler.SchedulerFactory}; {@link Schedulers#create(String, RealServer[],
 * SchedulerFlags)} then builds it by name.</li>
 * </ol>
 * {@link RoundRobinScheduler} is the shortest complete example; the test sources hold a scheduler loaded through
 * the service file.
 */
public interface Scheduler
{
    /** The IPVS name this scheduler is registered under ({@code rr}, {@code wrr}, {@code wlc}, ...). */
    String name();

    /**
     * Picks a server for a new connection.
     *
     * @param protocol   IP protocol number (6 TCP, 17 UDP).
     * @param clientAddr client IPv4 address, host byte order.
     * @param clientPort client port.
     * @param vaddr      virtual IPv4 address, host byte order.
     * @param vport      virtual port.
     * @return the chosen server, or {@code null} when none is available (IPVS: "no destination available").
     */
    RealServer select(int protocol, int clientAddr, int clientPort, int vaddr, int vport);

    /**
     * Housekeeping on the forwarding thread, e.g. once per duty cycle: schedulers that age state ({@code lblc},
     * {@code lblcr}) run their expiry here when it is due (they also do from {@link #select}). Cheap when nothing is
     * due; allocates nothing, locks nothing, throws nothing. The default does nothing.
     */
    default void expire(final long nowNs)
    {
    }
}
