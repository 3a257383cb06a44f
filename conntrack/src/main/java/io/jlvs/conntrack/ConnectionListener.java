package io.jlvs.conntrack;

/**
 * Receives the changes of a real server's connection counts (IPVS {@code activeconns}, {@code inactconns},
 * {@code persistconns}) as the table binds, moves and releases entries; the forwarding side applies them to its
 * real servers, where {@code lc}/{@code wlc}/{@code sed}/{@code nq} read them.
 * <p>
 * Called on the forwarding thread, once per change, with at most two non-zero deltas; it must not call back into
 * the table.
 */
@FunctionalInterface
public interface ConnectionListener
{
    /** A listener that ignores every change. */
    ConnectionListener NO_OP = (serverId, activeDelta, inactiveDelta, persistentDelta) -> {};

    void onCountersChanged(int serverId, int activeDelta, int inactiveDelta, int persistentDelta);
}
