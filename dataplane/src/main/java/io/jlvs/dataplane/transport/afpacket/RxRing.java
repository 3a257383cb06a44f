package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;

/**
 * The reader of a mapped AF_PACKET RX ring, used by the capture thread only: {@link RxRingV3} (blocks of frames,
 * handed over when full or timed out) or {@link RxRingV2} (a slot per frame, handed over at once).
 */
interface RxRing
{
    /**
     * Hands up to {@code limit} frames to {@code sink}, straight from the ring; {@code limit} bounds the frames
     * examined, including skipped ones, so one call's work is bounded whatever the ring holds.
     *
     * @return the frames handed to the sink.
     */
    int receive(FrameSink sink, int limit);

    /** Reads the kernel's drop statistics now (at close, so that the last drops are counted). */
    void drainStatistics();
}
