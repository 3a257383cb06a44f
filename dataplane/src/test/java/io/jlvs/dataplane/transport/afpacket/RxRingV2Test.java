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
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The V2 ring reader against slots laid out in memory exactly as tpacket_rcv() lays out a TPACKET_V2 ring. */
class RxRingV2Test
{
    private static final int BLOCK_SIZE = 4096;
    /** Three slots to a block with 16 bytes of slack at its end, which the reader must step over. */
    private static final int FRAME_SIZE = 1360;
    private static final int SLOTS_PER_BLOCK = BLOCK_SIZE / FRAME_SIZE;
    private static final int BLOCK_COUNT = 2;
    private static final int SLOTS = SLOTS_PER_BLOCK * BLOCK_COUNT;
    /** Where tpacket_rcv() puts the MAC header with a virtio_net_hdr: TPACKET_ALIGN(52 + 16) + 10 - 14. */
    private static final int MAC_WITH_VNET = 76;
    private static final int PACKET_HOST = 0;

    private final UnsafeBuffer memory =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(BLOCK_SIZE * BLOCK_COUNT, BLOCK_SIZE));
    private final TransportCounters counters = new TransportCounters();
    private final Recorder recorder = new Recorder();
    private int kernelSlot;

    private static final class Recorder implements FrameSink
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        final List<Long> rxTimes = new ArrayList<>();

        @Override
        public void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            assertEquals(frameOffset - VnetHeader.LENGTH, vnetOffset);
            assertEquals(VnetHeader.GSO_TCPV4, VnetHeader.gsoType(buffer, vnetOffset));
            final byte[] bytes = new byte[frameLength];
            buffer.getBytes(frameOffset, bytes);
            frames.add(bytes);
            statuses.add(status);
            rxTimes.add(rxNs);
        }
    }

    private static int slotOffset(final int slot)
    {
        return slot / SLOTS_PER_BLOCK * BLOCK_SIZE + slot % SLOTS_PER_BLOCK * FRAME_SIZE;
    }

    private int slotStatus(final int slot)
    {
        return memory.getIntVolatile(slotOffset(slot) + TpacketV2.HDR_STATUS_OFFSET);
    }

    /** Writes a frame of {@code length} bytes of {@code fill} into the kernel's next slot and hands it over. */
    private void publish(final int fill, final int length, final int wireLength, final int status, final int mac,
        final int packetType)
    {
        final int slot = slotOffset(kernelSlot);
        kernelSlot = (kernelSlot + 1) % SLOTS;
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)fill);
        memory.putInt(slot + TpacketV2.HDR_LEN_OFFSET, wireLength);
        memory.putInt(slot + TpacketV2.HDR_SNAPLEN_OFFSET, length);
        memory.putShort(slot + TpacketV2.HDR_MAC_OFFSET, (short)mac);
        memory.putInt(slot + TpacketV2.HDR_SEC_OFFSET, RxClockTest.STAMP_SECONDS);
        memory.putInt(slot + TpacketV2.HDR_NSEC_OFFSET, RxClockTest.STAMP_NANOS + fill);
        memory.putByte(slot + TpacketV2.HDR_SOCKADDR_OFFSET + TpacketV3.SLL_PKTTYPE_OFFSET, (byte)packetType);
        if (mac >= VnetHeader.LENGTH && mac < FRAME_SIZE)
        {
            memory.putByte(slot + mac - VnetHeader.LENGTH + VnetHeader.GSO_TYPE_OFFSET, (byte)VnetHeader.GSO_TCPV4);
        }
        if (mac + length <= FRAME_SIZE)
        {
            memory.putBytes(slot + mac, bytes);
        }
        memory.putIntVolatile(slot + TpacketV2.HDR_STATUS_OFFSET, status);
    }

    private void publish(final int fill, final int length)
    {
        publish(fill, length, length, TransportStatus.USER, MAC_WITH_VNET, PACKET_HOST);
    }

    private RxRingV2 reader(final StatisticsReader statistics, final boolean skipOutgoing)
    {
        memory.setMemory(0, memory.capacity(), (byte)0);
        return new RxRingV2(memory.addressOffset(), BLOCK_SIZE, BLOCK_COUNT, FRAME_SIZE, true, skipOutgoing, counters,
            statistics, RxClockTest.fixedClock());
    }

    private RxRingV2 reader()
    {
        return reader((stats, length) -> -Errno.EBADF, true);
    }

    @Test
    void handsEachReadySlotInOrderWithItsStatusAndReceiveTimeThenGivesItBack()
    {
        final RxRingV2 reader = reader();
        publish(1, 64);
        publish(2, FRAME_SIZE - MAC_WITH_VNET);
        publish(3, 60, 60, TransportStatus.USER | TransportStatus.CSUM_NOT_READY, MAC_WITH_VNET, PACKET_HOST);

        assertEquals(3, reader.receive(recorder, 10));

        assertArrayEquals(new byte[]{2, 2, 2}, Arrays.copyOf(recorder.frames.get(1), 3));
        assertEquals(FRAME_SIZE - MAC_WITH_VNET, recorder.frames.get(1).length, "a frame that fills its slot");
        assertEquals(TransportStatus.USER | TransportStatus.CSUM_NOT_READY, recorder.statuses.get(2));
        assertEquals(List.of(RxClockTest.expectedNanoTime(1), RxClockTest.expectedNanoTime(2),
            RxClockTest.expectedNanoTime(3)), recorder.rxTimes);
        for (int slot = 0; slot < 3; slot++)
        {
            assertEquals(TpacketV3.TP_STATUS_KERNEL, slotStatus(slot));
        }
        assertEquals(3, counters.rxFrames());
        assertEquals(64 + FRAME_SIZE - MAC_WITH_VNET + 60, counters.rxBytes());
    }

    @Test
    void stopsAtTheFirstSlotTheKernelStillOwnsAndAtTheLimit()
    {
        final RxRingV2 reader = reader();
        assertEquals(0, reader.receive(recorder, 10));

        publish(1, 60);
        publish(2, 60);
        publish(3, 60);
        assertEquals(2, reader.receive(recorder, 2));
        assertEquals(TransportStatus.USER, slotStatus(2) & TransportStatus.USER, "the third slot is not read yet");
        assertEquals(1, reader.receive(recorder, 10));
        assertEquals(3, recorder.frames.get(2)[0]);
    }

    @Test
    void followsTheSlotsAcrossBlocksAndRoundTheRing()
    {
        final RxRingV2 reader = reader();
        int published = 0;
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < SLOTS - 1; i++)
            {
                publish(1 + published++ % 100, 100);
            }
            assertEquals(SLOTS - 1, reader.receive(recorder, SLOTS * 2));
        }
        for (int i = 0; i < recorder.frames.size(); i++)
        {
            assertEquals(1 + i % 100, recorder.frames.get(i)[0], "frame " + i);
        }
    }

    @Test
    void countsTruncatedOutgoingAndCorruptSlotsAndGivesThemBackUnread()
    {
        final RxRingV2 reader = reader();
        publish(1, 100, 65_000, TransportStatus.USER, MAC_WITH_VNET, PACKET_HOST);
        publish(2, 60, 60, TransportStatus.USER, MAC_WITH_VNET, TpacketV3.PACKET_OUTGOING);
        publish(3, 60, 60, TransportStatus.USER, FRAME_SIZE - 10, PACKET_HOST);
        publish(4, 60, 60, TransportStatus.USER, 8, PACKET_HOST);
        publish(5, 60);

        assertEquals(1, reader.receive(recorder, 10));

        assertEquals(5, recorder.frames.get(0)[0]);
        assertEquals(1, counters.rxTruncated());
        assertEquals(1, counters.rxOutgoingSkipped());
        assertEquals(2, counters.rxRingCorrupt());
        for (int slot = 0; slot < 5; slot++)
        {
            assertEquals(TpacketV3.TP_STATUS_KERNEL, slotStatus(slot));
        }
    }

    @Test
    void keepsThisHostsOwnTransmissionsWhenNotAskedToSkipThem()
    {
        final RxRingV2 reader = reader((stats, length) -> -Errno.EBADF, false);
        publish(2, 60, 60, TransportStatus.USER, MAC_WITH_VNET, TpacketV3.PACKET_OUTGOING);

        assertEquals(1, reader.receive(recorder, 10));
    }

    @Test
    void aLosingSlotMakesTheReaderCountTheKernelsDrops()
    {
        final int[] calls = new int[1];
        final RxRingV2 reader = reader((stats, length) ->
        {
            calls[0]++;
            final UnsafeBuffer view = new UnsafeBuffer(stats, TpacketV3.STATS_LENGTH);
            view.putInt(TpacketV3.STATS_PACKETS_OFFSET, 10);
            view.putInt(TpacketV3.STATS_DROPS_OFFSET, 7);
            return 0;
        }, true);
        publish(1, 60, 60, TransportStatus.USER | TpacketV3.TP_STATUS_LOSING, MAC_WITH_VNET, PACKET_HOST);
        publish(2, 60);

        assertEquals(2, reader.receive(recorder, 10));

        assertEquals(1, calls[0]);
        assertEquals(7, counters.rxKernelDrops());
        assertEquals(0, counters.rxKernelFreezes(), "V2 has no freeze count");
    }

    @Test
    void aSinkThatThrowsDoesNotMakeTheReaderReplayTheSlotAndTheSlotIsGivenBack()
    {
        final RxRingV2 reader = reader();
        publish(1, 60);
        publish(2, 60);

        assertThrows(IllegalStateException.class, () -> reader.receive(
            (buffer, offset, length, vnetOffset, status, rxNs) ->
            {
                throw new IllegalStateException("sink bug");
            }, 10));
        assertEquals(1, reader.receive(recorder, 10));

        assertEquals(2, recorder.frames.get(0)[0]);
        assertEquals(TpacketV3.TP_STATUS_KERNEL, slotStatus(0));
        assertEquals(TpacketV3.TP_STATUS_KERNEL, slotStatus(1));
    }

    @Test
    void refusesAGeometryWhoseSlotsCannotHoldTheHeaders()
    {
        assertThrows(IllegalArgumentException.class, () -> new RxRingV2(memory.addressOffset(), BLOCK_SIZE,
            BLOCK_COUNT, TpacketV2.FRAME_HEADERS_LENGTH - 4, true, true, counters, (s, l) -> 0,
            RxClockTest.fixedClock()));
        assertThrows(IllegalArgumentException.class, () -> new RxRingV2(memory.addressOffset(), BLOCK_SIZE,
            BLOCK_COUNT, BLOCK_SIZE * 2, true, true, counters, (s, l) -> 0, RxClockTest.fixedClock()));
    }
}
