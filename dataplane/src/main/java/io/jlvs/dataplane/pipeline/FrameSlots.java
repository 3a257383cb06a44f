package io.jlvs.dataplane.pipeline;

import com.lmax.disruptor.EventFactory;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The memory behind the ring's events: one aligned direct allocation cut into {@link FrameEvent#SLOT_LENGTH}
 * slots, handed out to the Disruptor's event factory once, at start.
 */
public final class FrameSlots implements EventFactory<FrameEvent>
{
    private static final int ALIGNMENT = 64;

    private final ByteBuffer memory;
    private final int slotCount;
    private int next;

    public FrameSlots(final int slotCount)
    {
        this.slotCount = slotCount;
        this.memory = BufferUtil.allocateDirectAligned(Math.multiplyExact(slotCount, alignedSlotLength()), ALIGNMENT);
    }

    private static int alignedSlotLength()
    {
        return (FrameEvent.SLOT_LENGTH + ALIGNMENT - 1) & -ALIGNMENT;
    }

    @Override
    public FrameEvent newInstance()
    {
        if (next >= slotCount)
        {
            throw new IllegalStateException("ring asked for more events than slots, slots=" + slotCount);
        }
        final int offset = next++ * alignedSlotLength();
        return new FrameEvent(new UnsafeBuffer(memory, offset, FrameEvent.SLOT_LENGTH));
    }
}
