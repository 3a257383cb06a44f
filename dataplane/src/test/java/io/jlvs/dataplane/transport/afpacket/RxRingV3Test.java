package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.VnetHeader;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The ring reader against a ring laid out in memory exactly as tpacket_rcv() lays out a TPACKET_V3 ring. */
class RxRingV3Test
{
    private static final int BLOCK_SIZE = 4096;
    private static final int PACKET_HOST = 0;
    /** Where tpacket_rcv() puts the MAC header with a virtio_net_hdr: TPACKET_ALIGN(68 + 16) + 10 - 14. */
    private static final int MAC_WITH_VNET = 92;

    /** A ring in ordinary native memory that the test fills as the kernel would. */
    private static final class FakeRing
    {
        final int blockCount;
        final UnsafeBuffer memory;

        FakeRing(final int blockCount)
        {
            this.blockCount = blockCount;
            this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BLOCK_SIZE * blockCount, BLOCK_SIZE));
            memory.setMemory(0, memory.capacity(), (byte)0);
        }

        long address()
        {
            return memory.addressOffset();
        }

        int blockStatus(final int block)
        {
            return memory.getInt(block * BLOCK_SIZE + TpacketV3.BLOCK_STATUS_OFFSET);
        }

        /** Writes frames (each: payload byte i repeated) into block {@code block} and hands it to user space. */
        void publish(final int block, final int blockStatus, final Frame... frames)
        {
            final int base = block * BLOCK_SIZE;
            memory.setMemory(base, BLOCK_SIZE, (byte)0);
            int offset = TpacketV3.BLOCK_DESC_LENGTH;
            for (int i = 0; i < frames.length; i++)
            {
                final Frame frame = frames[i];
                final int header = base + offset;
                final int next = TpacketV3.align(MAC_WITH_VNET + frame.bytes.length);
                memory.putInt(header + TpacketV3.HDR_NEXT_OFFSET_OFFSET, i + 1 < frames.length ? next : 0);
                memory.putInt(header + TpacketV3.HDR_SNAPLEN_OFFSET, frame.bytes.length);
                memory.putInt(header + TpacketV3.HDR_LEN_OFFSET, frame.wireLength);
                memory.putInt(header + TpacketV3.HDR_STATUS_OFFSET, frame.status);
                memory.putInt(header + TpacketV3.HDR_SEC_OFFSET, RxClockTest.STAMP_SECONDS);
                memory.putInt(header + TpacketV3.HDR_NSEC_OFFSET, RxClockTest.STAMP_NANOS + i);
                memory.putShort(header + TpacketV3.HDR_MAC_OFFSET, (short)frame.mac);
                memory.putByte(header + TpacketV3.HDR_SOCKADDR_OFFSET + TpacketV3.SLL_PKTTYPE_OFFSET,
                    (byte)frame.packetType);
                memory.putByte(header + MAC_WITH_VNET - VnetHeader.LENGTH + VnetHeader.GSO_TYPE_OFFSET,
                    (byte)VnetHeader.GSO_TCPV4);
                memory.putBytes(header + MAC_WITH_VNET, frame.bytes);
                offset += next;
            }
            memory.putInt(base + TpacketV3.BLOCK_NUM_PKTS_OFFSET, frames.length);
            memory.putInt(base + TpacketV3.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET, TpacketV3.BLOCK_DESC_LENGTH);
            memory.putIntVolatile(base + TpacketV3.BLOCK_STATUS_OFFSET, blockStatus);
        }
    }

    private static final class Frame
    {
        final byte[] bytes;
        int wireLength;
        int status = TransportStatus.USER;
        int packetType = PACKET_HOST;
        int mac = MAC_WITH_VNET;

        Frame(final int fill, final int length)
        {
            bytes = new byte[length];
            java.util.Arrays.fill(bytes, (byte)fill);
            wireLength = length;
        }
    }

    private static final class Recorder implements FrameSink
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        final List<Integer> gsoTypes = new ArrayList<>();
        final List<Long> rxTimes = new ArrayList<>();

        @Override
        public void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            assertEquals(frameOffset - VnetHeader.LENGTH, vnetOffset);
            final byte[] bytes = new byte[frameLength];
            buffer.getBytes(frameOffset, bytes);
            frames.add(bytes);
            statuses.add(status);
            gsoTypes.add(VnetHeader.gsoType(buffer, vnetOffset));
            rxTimes.add(rxNs);
        }
    }

    private final TransportCounters counters = new TransportCounters();
    private final RxClock clock = RxClockTest.fixedClock();

    private RxRingV3 reader(final FakeRing ring, final StatisticsReader statistics)
    {
        return new RxRingV3(ring.address(), BLOCK_SIZE, ring.blockCount, true, true, counters, statistics, clock);
    }

    private static StatisticsReader noStatistics()
    {
        return (stats, length) -> -Errno.EBADF;
    }

    @Test
    void handsFramesOfAReadyBlockInOrderStraightFromTheRingThenReturnsTheBlock()
    {
        final FakeRing ring = new FakeRing(2);
        final Frame checksumPartial = new Frame(3, 60);
        checksumPartial.status |= TransportStatus.CSUM_NOT_READY;
        ring.publish(0, TpacketV3.TP_STATUS_USER, new Frame(1, 64), new Frame(2, 1514), checksumPartial);
        final Recorder recorder = new Recorder();

        assertEquals(3, reader(ring, noStatistics()).receive(recorder, 10));

        assertEquals(3, recorder.frames.size());
        assertArrayEquals(new Frame(2, 1514).bytes, recorder.frames.get(1));
        assertEquals(TransportStatus.USER | TransportStatus.CSUM_NOT_READY, recorder.statuses.get(2));
        assertEquals(VnetHeader.GSO_TCPV4, recorder.gsoTypes.get(0));
        assertEquals(List.of(RxClockTest.expectedNanoTime(0), RxClockTest.expectedNanoTime(1),
            RxClockTest.expectedNanoTime(2)), recorder.rxTimes, "each frame's own kernel receive time");
        assertEquals(TpacketV3.TP_STATUS_KERNEL, ring.blockStatus(0));
        assertEquals(3, counters.rxFrames());
        assertEquals(64 + 1514 + 60, counters.rxBytes());
    }

    @Test
    void receivesNothingWhileTheKernelOwnsTheBlock()
    {
        final FakeRing ring = new FakeRing(2);
        final Recorder recorder = new Recorder();

        assertEquals(0, reader(ring, noStatistics()).receive(recorder, 10));

        assertEquals(0, recorder.frames.size());
    }

    @Test
    void resumesMidBlockWhenTheLimitStopsItAndReturnsTheBlockOnlyAfterItsLastFrame()
    {
        final FakeRing ring = new FakeRing(2);
        ring.publish(0, TpacketV3.TP_STATUS_USER, new Frame(1, 60), new Frame(2, 60), new Frame(3, 60),
            new Frame(4, 60), new Frame(5, 60));
        final RxRingV3 reader = reader(ring, noStatistics());
        final Recorder recorder = new Recorder();

        assertEquals(2, reader.receive(recorder, 2));
        assertEquals(TpacketV3.TP_STATUS_USER, ring.blockStatus(0));
        assertEquals(3, reader.receive(recorder, 10));

        for (int i = 0; i < 5; i++)
        {
            assertEquals(i + 1, recorder.frames.get(i)[0]);
        }
        assertEquals(TpacketV3.TP_STATUS_KERNEL, ring.blockStatus(0));
    }

    @Test
    void followsTheBlocksRoundTheRing()
    {
        final FakeRing ring = new FakeRing(2);
        final RxRingV3 reader = reader(ring, noStatistics());
        final Recorder recorder = new Recorder();

        ring.publish(0, TpacketV3.TP_STATUS_USER, new Frame(1, 60));
        ring.publish(1, TpacketV3.TP_STATUS_USER, new Frame(2, 60));
        assertEquals(2, reader.receive(recorder, 10));
        ring.publish(0, TpacketV3.TP_STATUS_USER, new Frame(3, 60));
        assertEquals(1, reader.receive(recorder, 10));

        assertEquals(3, recorder.frames.get(2)[0]);
    }

    @Test
    void dropsAndCountsTruncatedFrames()
    {
        final FakeRing ring = new FakeRing(1);
        final Frame truncated = new Frame(1, 100);
        truncated.wireLength = 65_000;
        ring.publish(0, TpacketV3.TP_STATUS_USER, truncated, new Frame(2, 60));
        final Recorder recorder = new Recorder();

        assertEquals(1, reader(ring, noStatistics()).receive(recorder, 10));

        assertEquals(2, recorder.frames.get(0)[0]);
        assertEquals(1, counters.rxTruncated());
    }

    @Test
    void skipsThisHostsOwnTransmissionsOnlyWhenAsked()
    {
        final FakeRing ring = new FakeRing(1);
        final Frame outgoing = new Frame(1, 60);
        outgoing.packetType = TpacketV3.PACKET_OUTGOING;
        ring.publish(0, TpacketV3.TP_STATUS_USER, outgoing, new Frame(2, 60));
        final Recorder recorder = new Recorder();

        assertEquals(1, reader(ring, noStatistics()).receive(recorder, 10));
        assertEquals(1, counters.rxOutgoingSkipped());

        ring.publish(0, TpacketV3.TP_STATUS_USER, outgoing, new Frame(2, 60));
        final RxRingV3 keepsOutgoing = new RxRingV3(ring.address(), BLOCK_SIZE, 1, true, false, counters, noStatistics(),
            clock);
        assertEquals(2, keepsOutgoing.receive(new Recorder(), 10));
    }

    @Test
    void losingBlockMakesTheReaderCountTheKernelsDrops()
    {
        final FakeRing ring = new FakeRing(1);
        ring.publish(0, TpacketV3.TP_STATUS_USER | TpacketV3.TP_STATUS_LOSING, new Frame(1, 60));
        final int[] calls = new int[1];
        final StatisticsReader statistics = (stats, length) ->
        {
            calls[0]++;
            final UnsafeBuffer view = new UnsafeBuffer(stats, TpacketV3.STATS_LENGTH);
            assertEquals(TpacketV3.STATS_LENGTH, new UnsafeBuffer(length, 4).getInt(0));
            view.putInt(TpacketV3.STATS_PACKETS_OFFSET, 1007);
            view.putInt(TpacketV3.STATS_DROPS_OFFSET, 1000);
            view.putInt(TpacketV3.STATS_FREEZE_Q_CNT_OFFSET, 2);
            return 0;
        };

        assertEquals(1, reader(ring, statistics).receive(new Recorder(), 10));

        assertEquals(1, calls[0]);
        assertEquals(1000, counters.rxKernelDrops());
        assertEquals(2, counters.rxKernelFreezes());
    }

    @Test
    void corruptFrameOffsetsAbandonTheBlockWithoutReadingOutsideIt()
    {
        final FakeRing ring = new FakeRing(2);
        final Frame beyondBlock = new Frame(1, 60);
        beyondBlock.mac = 0xFFFF;
        ring.publish(0, TpacketV3.TP_STATUS_USER, beyondBlock, new Frame(2, 60));
        ring.publish(1, TpacketV3.TP_STATUS_USER, new Frame(3, 60));
        final Recorder recorder = new Recorder();

        assertEquals(1, reader(ring, noStatistics()).receive(recorder, 10));

        assertEquals(3, recorder.frames.get(0)[0]);
        assertEquals(1, counters.rxRingCorrupt());
        assertEquals(TpacketV3.TP_STATUS_KERNEL, ring.blockStatus(0));
    }

    @Test
    void aSinkThatThrowsDoesNotMakeTheReaderReplayTheBlock()
    {
        final FakeRing ring = new FakeRing(2);
        ring.publish(0, TpacketV3.TP_STATUS_USER, new Frame(1, 60));
        final RxRingV3 reader = reader(ring, noStatistics());

        assertThrows(IllegalStateException.class, () -> reader.receive(
            (buffer, offset, length, vnetOffset, status, rxNs) ->
            {
                throw new IllegalStateException("sink bug");
            }, 10));
        final Recorder recorder = new Recorder();
        assertEquals(0, reader.receive(recorder, 10));

        assertEquals(TpacketV3.TP_STATUS_KERNEL, ring.blockStatus(0));
        assertEquals(0, recorder.frames.size());
    }
}
