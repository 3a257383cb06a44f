package io.jlvs.arp;

/** Receives the entries of a {@link NeighbourTable} one by one, for listings ({@code jlvs list}, diagnostics). */
@FunctionalInterface
public interface NeighbourVisitor
{
    /**
     * @param address IPv4 address, host byte order.
     * @param mac     the last MAC learnt for it, {@link NeighbourTable#NO_MAC} if none ever was; in state FAILED
     *                this is the MAC that stopped answering, not one that forwarding uses.
     * @param state   a {@link NeighbourState} constant.
     */
    void visit(int address, long mac, int state);
}
