package io.jlvs.dataplane.transport;

import org.agrona.DirectBuffer;

/**
 * Receives the frames a {@link PacketTransport} reads, one call per frame, on the capture thread.
 */
@FunctionalInterface
public interface FrameSink
{
    /** {@code rxNs} when the transport has no receive timestamp for the frame (pcap, memory). */
    long NO_RX_TIMESTAMP = Long.MIN_VALUE;

    /**
     * A received frame. {@code buffer} and the bytes in it are valid only during the call: copy what must outlive it.
     *
     * @param buffer      the memory the frame lies in (for AF_PACKET, the kernel's RX ring itself).
     * @param frameOffset offset of the Ethernet header in {@code buffer}.
     * @param frameLength length of the Ethernet frame (for a GSO super-frame, up to 64 KiB: more than the MTU).
     * @param vnetOffset  offset of the {@link VnetHeader#LENGTH}-byte virtio_net_hdr in {@code buffer}
     *                    ({@code frameOffset - VnetHeader.LENGTH}), or -1 when the transport carries none.
     * @param status      the kernel's {@code tp_status} bits for the frame, see {@link TransportStatus}.
     * @param rxNs        when the kernel received the frame, in the {@link System#nanoTime()} domain (the ring's
     *                    wall-clock stamp converted), or {@link #NO_RX_TIMESTAMP}.
     */
    void onFrame(DirectBuffer buffer, int frameOffset, int frameLength, int vnetOffset, int status, long rxNs);
}
