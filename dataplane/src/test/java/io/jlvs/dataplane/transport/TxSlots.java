package io.jlvs.dataplane.transport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Native memory for frames a test queues: slot i holds [virtio_net_hdr if asked][frame]. */
public final class TxSlots
{
    private final UnsafeBuffer memory;
    private final int slotBytes;
    private final boolean vnetHeader;

    public TxSlots(final int slots, final int slotBytes, final boolean vnetHeader)
    {
        this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(slots * slotBytes, 64));
        this.slotBytes = slotBytes;
        this.vnetHeader = vnetHeader;
    }

    /** Writes {@code frame} in slot {@code slot} with a no-offload header; returns the length to queue. */
    public int put(final int slot, final byte[] frame)
    {
        return put(slot, vnetHeader ? new byte[VnetHeader.LENGTH] : null, frame);
    }

    /** Writes {@code header} (or nothing when null) and {@code frame} in slot {@code slot}; returns the length. */
    public int put(final int slot, final byte[] header, final byte[] frame)
    {
        final int base = slot * slotBytes;
        int length = 0;
        if (header != null)
        {
            memory.putBytes(base, header);
            length = header.length;
        }
        memory.putBytes(base + length, frame);
        return length + frame.length;
    }

    public long address(final int slot)
    {
        return memory.addressOffset() + (long)slot * slotBytes;
    }

    /** Queues {@code frame} from slot {@code slot} on {@code transport}. */
    public boolean queue(final PacketTransport transport, final int slot, final byte[] frame)
    {
        return transport.queue(address(slot), put(slot, frame));
    }
}
