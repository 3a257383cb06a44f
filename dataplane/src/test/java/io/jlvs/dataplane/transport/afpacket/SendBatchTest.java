package io.jlvs.dataplane.transport.afpacket;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.jlvs.dataplane.transport.TransportCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sendmmsg batch against a Unix datagram socket pair: the same system call and error paths as on a packet
 * socket, without root.
 */
class SendBatchTest
{
    private static final int AF_UNIX = 1;
    private static final int MAX_DATAGRAM = 2048;
    /** The smallest send buffer the kernel grants (it doubles what is asked and floors it at SOCK_MIN_SNDBUF). */
    private static final int TINY_SEND_BUFFER = 1;

    /** The calls only the test needs, bound like LibC. */
    private static final class TestLibC
    {
        static
        {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int socketpair(int domain, int type, int protocol, int[] fds);

        static native long recv(int fd, byte[] buffer, long length, int flags);

        static native int close(int fd);
    }

    private final TransportCounters counters = new TransportCounters();
    private final UnsafeBuffer memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024, 64));
    private int sender;
    private int receiver;

    @BeforeEach
    void openPair()
    {
        final int[] fds = new int[2];
        assertEquals(0, TestLibC.socketpair(AF_UNIX, PacketSocket.SOCK_DGRAM | PacketSocket.SOCK_NONBLOCK, 0, fds));
        sender = fds[0];
        receiver = fds[1];
    }

    @AfterEach
    void closePair()
    {
        TestLibC.close(sender);
        TestLibC.close(receiver);
    }

    private List<byte[]> received()
    {
        final List<byte[]> datagrams = new ArrayList<>();
        final byte[] buffer = new byte[MAX_DATAGRAM];
        long length;
        while ((length = TestLibC.recv(receiver, buffer, buffer.length, PacketSocket.MSG_DONTWAIT)) >= 0)
        {
            datagrams.add(Arrays.copyOf(buffer, (int)length));
        }
        return datagrams;
    }

    /** Writes {@code length} bytes of {@code fill} at {@code offset} of the test memory; returns the address. */
    private long frame(final int offset, final int fill, final int length)
    {
        memory.setMemory(offset, length, (byte)fill);
        return memory.addressOffset() + offset;
    }

    @Test
    void sendsEveryQueuedFrameInOneCallStraightFromTheCallersMemory()
    {
        final SendBatch batch = new SendBatch(new PacketSocket(sender), 8, 10, counters);

        assertTrue(batch.queue(frame(0, 1, 60), 60));
        assertTrue(batch.queue(frame(1024, 2, 1000), 1000));
        assertTrue(batch.queue(frame(4096, 3, 20), 20));
        assertEquals(3, batch.flush());

        final List<byte[]> datagrams = received();
        assertEquals(3, datagrams.size());
        assertEquals(60, datagrams.get(0).length);
        assertEquals(2, datagrams.get(1)[999]);
        assertEquals(20, datagrams.get(2).length);
        assertEquals(3, counters.txFrames());
        assertEquals(60 + 1000 + 20 - 3 * 10, counters.txBytes());
        assertEquals(0, counters.txRetries());
        assertEquals(0, batch.queued());
    }

    @Test
    void aRefusedFrameIsCountedAndTheFramesAfterItStillLeave()
    {
        final SendBatch batch = new SendBatch(new PacketSocket(sender), 8, 0, counters);
        final long unmapped = 8;

        batch.queue(frame(0, 1, 60), 60);
        batch.queue(unmapped, 60);
        batch.queue(frame(1024, 3, 60), 60);

        assertEquals(2, batch.flush());
        final List<byte[]> datagrams = received();
        assertEquals(2, datagrams.size());
        assertArrayEquals(new byte[]{1, 3}, new byte[]{datagrams.get(0)[0], datagrams.get(1)[0]});
        assertEquals(1, counters.txErrors());
        assertEquals(Errno.EFAULT, counters.txLastErrno());
        assertEquals(1, counters.txRetries());
    }

    @Test
    void aFullSocketBufferDropsTheRestAfterOneRetryWithoutBlocking()
    {
        final PacketSocket socket = new PacketSocket(sender);
        assertEquals(0, socket.setIntOption(PacketSocket.SOL_SOCKET, PacketSocket.SO_SNDBUF, TINY_SEND_BUFFER));
        final SendBatch batch = new SendBatch(socket, 64, 0, counters);
        for (int i = 0; i < 64; i++)
        {
            assertTrue(batch.queue(frame(i * 1024, i, 1000), 1000));
        }

        final int sent = batch.flush();

        assertTrue(sent > 0 && sent < 64, "sent=" + sent);
        assertEquals(64 - sent, counters.txDroppedNoBuffer());
        assertEquals(sent, received().size());
        assertEquals(0, counters.txErrors());
    }

    @Test
    void queueRefusesBeyondTheBatchAndCountsIt()
    {
        final SendBatch batch = new SendBatch(new PacketSocket(sender), 2, 0, counters);

        assertTrue(batch.queue(frame(0, 1, 60), 60));
        assertTrue(batch.queue(frame(0, 1, 60), 60));
        assertFalse(batch.queue(frame(0, 1, 60), 60));

        assertEquals(1, counters.txDroppedBatchFull());
        assertEquals(2, batch.flush());
    }

    @Test
    void anEmptyFlushMakesNoCallAndAClosedSocketIsCountedNotThrown()
    {
        final SendBatch batch = new SendBatch(new PacketSocket(-1), 4, 0, counters);

        assertEquals(0, batch.flush());
        assertEquals(0, counters.txErrors());

        batch.queue(frame(0, 1, 60), 60);
        assertEquals(0, batch.flush());
        assertEquals(1, counters.txErrors());
        assertEquals(Errno.EBADF, counters.txLastErrno());
    }
}
