package io.jlvs.dataplane.forward;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Preallocated room for the frames the forwarding thread writes itself (ARP replies and requests, gratuitous
 * ARPs): handed out in order within a TX batch and recycled when the batch is flushed, so writing a frame never
 * allocates.
 */
final class ScratchFrames
{
    /** Enough for any ARP frame plus a virtio-net header, on its own cache lines. */
    static final int SLOT_LENGTH = 128;
    private static final int ALIGNMENT = 64;

    private final UnsafeBuffer buffer;
    private final int slots;
    private int used;

    ScratchFrames(final int slots)
    {
        this.slots = slots;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(slots * SLOT_LENGTH, ALIGNMENT));
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    boolean isFull()
    {
        return used == slots;
    }

    /** Offset of a fresh zeroed slot; the caller checked {@link #isFull()}. */
    int claim()
    {
        final int offset = used++ * SLOT_LENGTH;
        buffer.setMemory(offset, SLOT_LENGTH, (byte)0);
        return offset;
    }

    /** After a flush: every slot may be reused. */
    void reset()
    {
        used = 0;
    }
}
