package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.jlvs.dataplane.transport.afpacket.MsgHdr.IOVEC_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.MsgHdr.IOV_BASE_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.MsgHdr.IOV_LEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.MsgHdr.MMSGHDR_LENGTH;
import static io.jlvs.dataplane.transport.afpacket.MsgHdr.MSG_IOVLEN_OFFSET;
import static io.jlvs.dataplane.transport.afpacket.MsgHdr.MSG_IOV_OFFSET;

/**
 * The TX side: a batch of frames sent with one {@code sendmmsg(2)}.
 * <p>
 * Why sendmmsg and not a {@code PACKET_TX_RING}: the forwarding handler already holds each frame in its own native
 * memory (the Disruptor slot it was copied to and rewritten in), so one iovec per frame pointing straight at it sends
 * it without any user-space copy, where a TX ring needs a copy into the ring slot. sendmmsg also reports which frame
 * failed and why (a ring only marks slots {@code TP_STATUS_WRONG_FORMAT}), and a ring slot stays the kernel's until the
 * driver frees the skb, which needs slot bookkeeping and can stall on a slow device. The cost is the same: one kernel
 * crossing per batch.
 * <p>
 * The {@code struct mmsghdr} and {@code struct iovec} arrays are allocated once; {@link #queue} only writes one iovec.
 * A partial send is retried from the first unsent frame: a frame the kernel refuses (-EINVAL, -EMSGSIZE,
 * -ENETDOWN, ...) is counted in txErrors and skipped, the frames after it still go; when the socket buffer is full
 * (-EAGAIN, -ENOBUFS) the rest is tried once more, then counted in txDroppedNoBuffer. Nothing blocks or throws.
 */
final class SendBatch
{
    /** Calls beyond one per frame that a flush may make: the single retry on a full buffer, plus EINTRs. */
    private static final int EXTRA_CALLS = 4;
    private static final int CACHE_LINE_BYTES = 64;

    private final PacketSocket socket;
    private final int capacity;
    private final int headerLength;
    private final TransportCounters counters;
    private final UnsafeBuffer messages;
    private final UnsafeBuffer vectors;
    private final long messagesAddress;
    private final int[] lengths;
    private int queued;

    /**
     * @param headerLength bytes at the start of each frame that are not frame bytes (the virtio_net_hdr), so that
     *                     txBytes counts what goes on the wire.
     */
    SendBatch(final PacketSocket socket, final int capacity, final int headerLength, final TransportCounters counters)
    {
        this.socket = socket;
        this.capacity = capacity;
        this.headerLength = headerLength;
        this.counters = counters;
        this.messages = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity * MMSGHDR_LENGTH, CACHE_LINE_BYTES));
        this.vectors = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity * IOVEC_LENGTH, CACHE_LINE_BYTES));
        this.messagesAddress = messages.addressOffset();
        this.lengths = new int[capacity];
        messages.setMemory(0, messages.capacity(), (byte)0);
        vectors.setMemory(0, vectors.capacity(), (byte)0);
        for (int i = 0; i < capacity; i++)
        {
            // One iovec per message; msg_name stays NULL: the socket is bound, the kernel uses its interface.
            messages.putLong(i * MMSGHDR_LENGTH + MSG_IOV_OFFSET, vectors.addressOffset() + (long)i * IOVEC_LENGTH);
            messages.putLong(i * MMSGHDR_LENGTH + MSG_IOVLEN_OFFSET, 1);
        }
    }

    int capacity()
    {
        return capacity;
    }

    int queued()
    {
        return queued;
    }

    boolean queue(final long address, final int length)
    {
        final int index = queued;
        if (index == capacity)
        {
            counters.increment(TransportCounter.TX_DROPPED_BATCH_FULL);
            return false;
        }
        final int vector = index * IOVEC_LENGTH;
        vectors.putLong(vector + IOV_BASE_OFFSET, address);
        vectors.putLong(vector + IOV_LEN_OFFSET, length);
        lengths[index] = length;
        queued = index + 1;
        return true;
    }

    /** Forgets the queued frames without sending them (the transport is closing). */
    void discard()
    {
        queued = 0;
    }

    int flush()
    {
        final int count = queued;
        if (count == 0)
        {
            return 0;
        }
        queued = 0;

        int next = 0;
        int sent = 0;
        long bytes = 0;
        int errors = 0;
        int lastErrno = 0;
        boolean retried = false;
        int calls = 0;
        final int maxCalls = count + EXTRA_CALLS;
        while (next < count && calls < maxCalls)
        {
            calls++;
            final int result = socket.sendmmsg(
                messagesAddress + (long)next * MMSGHDR_LENGTH, count - next, PacketSocket.MSG_DONTWAIT);
            if (result > 0)
            {
                for (int i = next; i < next + result; i++)
                {
                    bytes += lengths[i] - headerLength;
                }
                sent += result;
                next += result;
            }
            else if (result == -Errno.EINTR)
            {
                continue;
            }
            else if (result == 0 || result == -Errno.EAGAIN || result == -Errno.ENOBUFS)
            {
                if (retried)
                {
                    break;
                }
                retried = true;
            }
            else
            {
                errors++;
                lastErrno = -result;
                next++;
            }
        }

        if (sent > 0)
        {
            counters.add(TransportCounter.TX_FRAMES, sent);
            counters.add(TransportCounter.TX_BYTES, bytes);
        }
        if (calls > 1)
        {
            counters.increment(TransportCounter.TX_RETRIES);
        }
        if (errors > 0)
        {
            counters.add(TransportCounter.TX_ERRORS, errors);
            counters.txLastErrno(lastErrno);
        }
        if (next < count)
        {
            counters.add(TransportCounter.TX_DROPPED_NO_BUFFER, count - next);
        }
        return sent;
    }
}
