package io.jlvs.arp;

/**
 * The states of a {@link NeighbourTable} entry, a subset of Linux's NUD states ({@code ip neigh} shows the same
 * names): {@code int} constants so the forwarding thread passes them around without boxing.
 */
public final class NeighbourState
{
    /** Not in the table: the address is not wanted (or the table has not picked up the new wanted set yet). */
    public static final int NONE = 0;

    /** Wanted, no MAC known yet: broadcast requests are being sent. */
    public static final int INCOMPLETE = 1;

    /** MAC known and confirmed within {@link NeighbourTimers#reachableNs()}. */
    public static final int REACHABLE = 2;

    /** MAC known but not confirmed lately: still used for forwarding while unicast requests re-confirm it. */
    public static final int STALE = 3;

    /** No answer to {@link NeighbourTimers#maxProbes()} requests: no MAC to forward to, the server gets no traffic. */
    public static final int FAILED = 4;

    private static final String[] NAMES = { "NONE", "INCOMPLETE", "REACHABLE", "STALE", "FAILED" };

    private NeighbourState()
    {
    }

    /** The state's name as {@code ip neigh} prints it, or {@code UNKNOWN(n)} for a value that is not a state. */
    public static String name(final int state)
    {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "UNKNOWN(" + state + ")";
    }

    /** Whether an entry in this state has a MAC that forwarding may use (REACHABLE or STALE). */
    public static boolean isUsable(final int state)
    {
        return state == REACHABLE || state == STALE;
    }
}
