package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.IcmpMessages;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ICMP errors the director itself answers a frame with (time exceeded, fragmentation needed), from the address
 * the frame was sent to, back to the L2 next hop it came from; written into a scratch slot and queued.
 */
final class IcmpAnswers
{
    private static final int U16_MASK = 0xFFFF;

    private final TxQueue tx;
    private final Counters counters;
    private final long directorMac;
    private int icmpId = ThreadLocalRandom.current().nextInt();

    IcmpAnswers(final TxQueue tx, final Counters counters, final long directorMac)
    {
        this.tx = tx;
        this.counters = counters;
        this.directorMac = directorMac;
    }

    /** The next IP ID for a packet the director writes itself. */
    int nextId()
    {
        return icmpId++ & U16_MASK;
    }

    /** Answers the frame at {@code frameOffset} with an ICMP error; counts {@code sent} when it was queued. */
    void answer(
        final UnsafeBuffer buffer, final int frameOffset, final long sourceMac, final int type, final int code,
        final int rest, final Counter sent)
    {
        final int ip = frameOffset + EthernetHeader.LENGTH;
        final int ipLength = buffer.getShort(ip + Ipv4Header.TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & U16_MASK;
        final int offset = tx.claimScratch();
        final int length = IcmpMessages.writeAnswer(tx.scratch(), offset, tx.scratchCapacity(), sourceMac, directorMac,
            type, code, rest, nextId(), buffer, ip, ipLength);
        if (length > 0 && tx.queueScratch(offset, length))
        {
            counters.increment(sent);
        }
    }
}
