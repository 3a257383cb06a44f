package io.jlvs.dataplane.transport;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryTransportTest
{
    private static final byte[] FRAME_A = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 42};
    private static final byte[] FRAME_B = {6, 5, 4, 3, 2, 1, 0x08, 0x06};

    /** Collects what the sink is handed, copying out of the (reused) buffer as a real consumer must. */
    private static final class Recorder implements FrameSink
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<byte[]> headers = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();

        @Override
        public void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            final byte[] frame = new byte[frameLength];
            buffer.getBytes(frameOffset, frame);
            frames.add(frame);
            if (vnetOffset >= 0)
            {
                assertEquals(frameOffset - VnetHeader.LENGTH, vnetOffset);
                final byte[] header = new byte[VnetHeader.LENGTH];
                buffer.getBytes(vnetOffset, header);
                headers.add(header);
            }
            else
            {
                headers.add(null);
            }
            statuses.add(status);
        }
    }

    @Test
    void receiveHandsInjectedFramesInOrderWithStatusAndNoOffloadHeader()
    {
        final MemoryTransport transport = MemoryTransport.builder().build();
        transport.inject(FRAME_A, TransportStatus.USER | TransportStatus.CSUM_VALID);
        transport.inject(FRAME_B, TransportStatus.USER);
        final Recorder recorder = new Recorder();

        assertEquals(2, transport.receive(recorder, 10));

        assertArrayEquals(FRAME_A, recorder.frames.get(0));
        assertArrayEquals(FRAME_B, recorder.frames.get(1));
        assertArrayEquals(new byte[VnetHeader.LENGTH], recorder.headers.get(0));
        assertEquals(TransportStatus.USER | TransportStatus.CSUM_VALID, recorder.statuses.get(0));
        assertEquals(2, transport.counters().rxFrames());
        assertEquals(FRAME_A.length + FRAME_B.length, transport.counters().rxBytes());
    }

    @Test
    void receiveStopsAtLimitAndResumesWithTheNextFrame()
    {
        final MemoryTransport transport = MemoryTransport.builder().build();
        transport.inject(FRAME_A, 0);
        transport.inject(FRAME_B, 0);
        final Recorder recorder = new Recorder();

        assertEquals(1, transport.receive(recorder, 1));
        assertEquals(1, transport.pendingReceive());
        assertEquals(1, transport.receive(recorder, 1));
        assertEquals(0, transport.receive(recorder, 1));

        assertArrayEquals(FRAME_B, recorder.frames.get(1));
    }

    @Test
    void injectedVnetHeaderIsHandedJustBeforeTheFrame()
    {
        final MemoryTransport transport = MemoryTransport.builder().build();
        final UnsafeBuffer header = new UnsafeBuffer(new byte[VnetHeader.LENGTH]);
        VnetHeader.write(header, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4, 66, 1448, 34, 16);
        transport.inject(header.byteArray(), FRAME_A, TransportStatus.CSUM_NOT_READY);
        final Recorder recorder = new Recorder();

        transport.receive(recorder, 1);

        final UnsafeBuffer received = new UnsafeBuffer(recorder.headers.get(0));
        assertEquals(VnetHeader.GSO_TCPV4, VnetHeader.gsoType(received, 0));
        assertEquals(1448, VnetHeader.gsoSize(received, 0));
        assertEquals(34, VnetHeader.csumStart(received, 0));
    }

    @Test
    void frameWithoutVnetHeaderHasNoVnetOffset()
    {
        final MemoryTransport transport = MemoryTransport.builder().vnetHeader(false).build();
        transport.inject(FRAME_A, 0);
        final Recorder recorder = new Recorder();

        transport.receive(recorder, 1);

        assertEquals(null, recorder.headers.get(0));
        assertThrows(IllegalArgumentException.class, () -> transport.inject(new byte[VnetHeader.LENGTH], FRAME_A, 0));
    }

    @Test
    void flushSendsQueuedBytesAsTheyAreAtFlushTime()
    {
        final MemoryTransport transport = MemoryTransport.builder().build();
        final UnsafeBuffer slot = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        slot.setMemory(0, VnetHeader.LENGTH, (byte)0);
        slot.putBytes(VnetHeader.LENGTH, FRAME_B);

        assertTrue(transport.queue(slot.addressOffset(), VnetHeader.LENGTH + FRAME_B.length));
        slot.putByte(VnetHeader.LENGTH, (byte)99);
        assertEquals(1, transport.flush());

        final byte[] expected = FRAME_B.clone();
        expected[0] = 99;
        assertArrayEquals(expected, transport.sent().get(0));
        assertEquals(VnetHeader.LENGTH + FRAME_B.length, transport.sentRaw().get(0).length);
        assertEquals(1, transport.counters().txFrames());
        assertEquals(FRAME_B.length, transport.counters().txBytes());
        assertEquals(1, transport.flushes());
    }

    @Test
    void queueRefusesWhenBatchIsFullAndCountsIt()
    {
        final MemoryTransport transport = MemoryTransport.builder().vnetHeader(false).txBatchSize(2).build();
        final UnsafeBuffer slot = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));

        assertTrue(transport.queue(slot.addressOffset(), 8));
        assertTrue(transport.queue(slot.addressOffset(), 8));
        assertFalse(transport.queue(slot.addressOffset(), 8));
        assertEquals(1, transport.counters().txDroppedBatchFull());
        assertEquals(2, transport.flush());
        assertTrue(transport.queue(slot.addressOffset(), 8));
    }

    @Test
    void refusedFramesAreCountedNotSent()
    {
        final MemoryTransport transport = MemoryTransport.builder().vnetHeader(false).build();
        final UnsafeBuffer slot = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        transport.refuseNext(1);
        transport.queue(slot.addressOffset(), 8);
        transport.queue(slot.addressOffset() + 8, 8);

        assertEquals(1, transport.flush());

        assertEquals(1, transport.counters().txErrors());
        assertEquals(1, transport.sent().size());
    }

    @Test
    void closedTransportReceivesAndQueuesNothing()
    {
        final MemoryTransport transport = MemoryTransport.builder().build();
        transport.inject(FRAME_A, 0);
        transport.close();
        transport.close();

        assertEquals(0, transport.receive(new Recorder(), 1));
        assertFalse(transport.queue(0, 0));
    }
}
