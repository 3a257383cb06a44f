package io.jlvs.cli.listing;

import io.jlvs.arp.NeighbourTable;
import io.jlvs.scheduler.Ipv4;

/**
 * One entry of the director's neighbour cache for {@code jlvs list --neighbours}: a real server address the director
 * resolves with ARP, the MAC it learnt and the entry's state.
 *
 * @param address IPv4, host byte order.
 * @param mac     48 bits, first octet in bits 40..47, or {@link NeighbourTable#NO_MAC} when none was ever learnt. In
 *                state FAILED it is the MAC that stopped answering, kept because it tells the operator which box went
 *                quiet; forwarding does not use it.
 * @param state   the {@link io.jlvs.arp.NeighbourState} name ({@code REACHABLE}, {@code STALE}, ...).
 */
public record NeighbourRow(int address, long mac, String state)
{
    public NeighbourRow
    {
        if (state == null)
        {
            throw new IllegalArgumentException("state must be given");
        }
    }

    /** Whether a MAC was ever learnt for this address. */
    public boolean hasMac()
    {
        return mac != NeighbourTable.NO_MAC;
    }

    /** {@code 198.18.0.101}, as {@code ip neigh} prints an address. */
    public String addressText()
    {
        return Ipv4.toString(address);
    }
}
