package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.FrameBytes;
import org.agrona.MutableDirectBuffer;

/**
 * The DR forwarding method (IPVS {@code ip_vs_dr_xmit}): the frame leaves on the same segment with the real
 * server's MAC as destination and the director's as source; the IP packet is not touched, so the real server
 * (which holds the VIP on lo) answers the client directly.
 */
public final class DirectRouting
{
    /** The two addresses rewritten: destination then source, 12 bytes from the frame's start. */
    private static final int MAC_BYTES = EthernetHeader.SRC_MAC_OFFSET + EthernetHeader.MAC_LENGTH;

    private DirectRouting()
    {
    }

    /** Rewrites the Ethernet addresses of the frame at {@code frameOffset} in place. */
    public static void rewrite(
        final MutableDirectBuffer buffer, final int frameOffset, final long realServerMac, final long directorMac)
    {
        if (!FrameBytes.inBounds(buffer, frameOffset, MAC_BYTES))
        {
            // Not a frame inside this buffer: Agrona's checked accessors refuse it as they always did.
            buffer.boundsCheck(frameOffset, MAC_BYTES);
        }
        rewriteInRange(buffer, frameOffset, realServerMac, directorMac);
    }

    /** As {@link #rewrite}, for a caller that has already checked that the frame's first 12 bytes lie in the buffer. */
    static void rewriteInRange(
        final MutableDirectBuffer buffer, final int frameOffset, final long realServerMac, final long directorMac)
    {
        FrameBytes.putMac(buffer, frameOffset + EthernetHeader.DST_MAC_OFFSET, realServerMac);
        FrameBytes.putMac(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET, directorMac);
    }
}
