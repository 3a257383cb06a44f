package io.jlvs.scheduler;

/**
 * An IPVS scheduler: picks the real server for a new connection of one virtual service.
 * <p>
 * One instance serves one virtual service and holds that service's scheduling state (the rr cursor, the wrr
 * current weight, the Maglev table). It is built by the control plane from the service's server set and then used
 * by exactly one forwarding thread; when the set or a weight changes, the control plane builds a new instance and
 * publishes it, so {@link #select} never races a change. {@link #select} allocates nothing, locks nothing and
 * throws nothing.
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
