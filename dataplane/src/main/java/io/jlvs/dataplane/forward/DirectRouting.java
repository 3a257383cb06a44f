package io.jlvs.dataplane.forward;

import io.jlvs.arp.MacAddress;
import io.jlvs.dataplane.codec.EthernetHeader;
import org.agrona.MutableDirectBuffer;

/**
 * The DR forwarding method (IPVS {@code ip_vs_dr_xmit}): the frame leaves on the same segment with the real
 * server's MAC as destination and the director's as source; the IP packet is not touched, so the real server
 * (which holds the VIP on lo) answers the client directly.
 */
public final class DirectRouting
{
    private DirectRouting()
    {
    }

    /** Rewrites the Ethernet addresses of the frame at {@code frameOffset} in place. */
    public static void rewrite(
        final MutableDirectBuffer buffer, final int frameOffset, final long realServerMac, final long directorMac)
    {
        MacAddress.write(buffer, frameOffset + EthernetHeader.DST_MAC_OFFSET, realServerMac);
        MacAddress.write(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET, directorMac);
    }
}
