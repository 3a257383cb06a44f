package io.jlvs.dataplane.transport.afpacket;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportStatus;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RX ring reader and the TX batch allocate nothing per frame or per batch, JNA call included. Measured with the
 * thread's allocation counter over many iterations after a warm-up; the bound is far below one object per iteration.
 */
class PerFrameAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Less than one 16-byte object per 100 iterations: anything per frame or per call would be far above. */
    private static final long MAX_BYTES = MEASURED / 100 * 16;
    private static final int BLOCK_SIZE = 4096;
    private static final int FRAMES_PER_BLOCK = 8;
    private static final int FRAME_BYTES = 60;
    private static final int MAC_OFFSET = 92;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** Counts frames without allocating. */
    private static final class CountingSink implements FrameSink
    {
        long frames;
        long checksum;

        @Override
        public void onFrame(
            final org.agrona.DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            frames++;
            checksum += buffer.getByte(frameOffset) + frameLength + status;
        }
    }

    private static void publishBlock(final UnsafeBuffer ring)
    {
        int offset = TpacketV3.BLOCK_DESC_LENGTH;
        final int next = TpacketV3.align(MAC_OFFSET + FRAME_BYTES);
        for (int i = 0; i < FRAMES_PER_BLOCK; i++)
        {
            ring.putInt(offset + TpacketV3.HDR_NEXT_OFFSET_OFFSET, next);
            ring.putInt(offset + TpacketV3.HDR_SNAPLEN_OFFSET, FRAME_BYTES);
            ring.putInt(offset + TpacketV3.HDR_LEN_OFFSET, FRAME_BYTES);
            ring.putInt(offset + TpacketV3.HDR_STATUS_OFFSET, TransportStatus.USER);
            ring.putShort(offset + TpacketV3.HDR_MAC_OFFSET, (short)MAC_OFFSET);
            offset += next;
        }
        ring.putInt(TpacketV3.BLOCK_NUM_PKTS_OFFSET, FRAMES_PER_BLOCK);
        ring.putInt(TpacketV3.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET, TpacketV3.BLOCK_DESC_LENGTH);
        ring.putIntVolatile(TpacketV3.BLOCK_STATUS_OFFSET, TpacketV3.TP_STATUS_USER);
    }

    @Test
    void readingTheRingAllocatesNothing()
    {
        final UnsafeBuffer ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BLOCK_SIZE, BLOCK_SIZE));
        final RxRingV3 reader = new RxRingV3(ring.addressOffset(), BLOCK_SIZE, 1, true, true, new TransportCounters(),
            (stats, length) -> -Errno.EBADF, RxClock.system());
        final CountingSink sink = new CountingSink();

        for (int i = 0; i < WARM_UP; i++)
        {
            publishBlock(ring);
            reader.receive(sink, FRAMES_PER_BLOCK);
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++)
        {
            publishBlock(ring);
            reader.receive(sink, FRAMES_PER_BLOCK);
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertEquals((long)(WARM_UP + MEASURED) * FRAMES_PER_BLOCK, sink.frames);
        assertTrue(allocated < MAX_BYTES, "allocated " + allocated + " bytes over " + MEASURED + " blocks");
    }

    /** socketpair(2), as the batch test binds it. */
    private static final class TestLibC
    {
        static
        {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int socketpair(int domain, int type, int protocol, int[] fds);

        static native long recv(int fd, long buffer, long length, int flags);

        static native int close(int fd);
    }

    @Test
    void sendingABatchAllocatesNothingIncludingTheSystemCall()
    {
        final int[] fds = new int[2];
        assertEquals(0, TestLibC.socketpair(1, PacketSocket.SOCK_DGRAM | PacketSocket.SOCK_NONBLOCK, 0, fds));
        try
        {
            final TransportCounters counters = new TransportCounters();
            final SendBatch batch = new SendBatch(new PacketSocket(fds[0]), 4, 0, counters);
            final UnsafeBuffer frames = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
            final long drain = frames.addressOffset() + 2048;
            for (int i = 0; i < WARM_UP; i++)
            {
                for (int f = 0; f < 4; f++)
                {
                    batch.queue(frames.addressOffset() + f * FRAME_BYTES, FRAME_BYTES);
                }
                batch.flush();
                for (int f = 0; f < 4; f++)
                {
                    TestLibC.recv(fds[1], drain, FRAME_BYTES, PacketSocket.MSG_DONTWAIT);
                }
            }
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++)
            {
                for (int f = 0; f < 4; f++)
                {
                    batch.queue(frames.addressOffset() + f * FRAME_BYTES, FRAME_BYTES);
                }
                batch.flush();
                for (int f = 0; f < 4; f++)
                {
                    TestLibC.recv(fds[1], drain, FRAME_BYTES, PacketSocket.MSG_DONTWAIT);
                }
            }
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            assertEquals(4L * (WARM_UP + MEASURED), counters.txFrames());
            assertTrue(allocated < MAX_BYTES, "allocated " + allocated + " bytes over " + MEASURED + " batches");
        }
        finally
        {
            TestLibC.close(fds[0]);
            TestLibC.close(fds[1]);
        }
    }
}
