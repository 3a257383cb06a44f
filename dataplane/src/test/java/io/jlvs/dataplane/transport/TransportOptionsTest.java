package io.jlvs.dataplane.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportOptionsTest
{
    @Test
    void defaultsHoldWholeSuperFramesAndUseEveryOffload()
    {
        final TransportOptions options = TransportOptions.of("eth0");

        assertEquals("eth0", options.interfaceName());
        assertTrue(options.blockSizeBytes() >= TransportOptions.MAX_SUPER_FRAME_BYTES + 256);
        assertTrue(options.vnetHeader());
        assertTrue(options.qdiscBypass());
        assertTrue(options.ignoreOutgoing());
        assertEquals(0, options.fanoutGroupId());
        assertEquals(TransportOptions.FANOUT_HASH | TransportOptions.FANOUT_FLAG_DEFRAG, options.fanoutMode());
        assertEquals((long)options.blockSizeBytes() * options.blockCount(), options.ringBytes());
    }

    @Test
    void rejectsBlocksTooSmallForASuperFrame()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportOptions.builder("eth0").blockSizeBytes(64 * 1024).build());
        assertTrue(ex.getMessage().contains("blockSizeBytes=65536"), ex.getMessage());
    }

    @Test
    void rejectsBlockSizeThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class,
            () -> TransportOptions.builder("eth0").blockSizeBytes(3 * 128 * 1024).build());
    }

    @Test
    void rejectsRingsWhoseOffsetsWouldNotFitAnInt()
    {
        assertThrows(IllegalArgumentException.class,
            () -> TransportOptions.builder("eth0").blockSizeBytes(1 << 20).blockCount(2048).build());
    }

    @Test
    void rejectsInterfaceNamesTheKernelCannotHold()
    {
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.of("a-name-longer-than-15"));
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.of("eth 0"));
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.of(""));
    }

    @Test
    void rejectsBadBatchFrameAndFanoutValues()
    {
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder("e").txBatchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder("e").txBatchSize(1025).build());
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder("e").frameSizeHint(100).build());
        assertThrows(IllegalArgumentException.class,
            () -> TransportOptions.builder("e").fanoutGroupId(0x10000).build());
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder("e").blockTimeoutMs(-1).build());
    }

    @Test
    void receivesEveryFrameUnlessGivenAReceiveFilter()
    {
        assertNull(TransportOptions.of("eth0").receiveFilter());
        final BpfProgram acceptAll = BpfProgram.of(BpfProgram.instruction(BpfProgram.RET_K, 0, 0, -1));
        final TransportOptions filtered = TransportOptions.builder("eth0").receiveFilter(acceptAll).build();
        assertSame(acceptAll, filtered.receiveFilter());
        assertTrue(filtered.toString().contains("receiveFilter=1 instructions"), filtered.toString());
    }

    @Test
    void aV2RingSplitsEachBlockIntoSlotsThatHoldAWholeSuperFrame()
    {
        final TransportOptions v3 = TransportOptions.of("eth0");
        assertEquals(TransportOptions.RxRingVersion.V3, v3.rxRingVersion());
        assertEquals(TransportOptions.DEFAULT_FRAME_SIZE_HINT, v3.ringFrameSize());

        final TransportOptions v2 = TransportOptions.builder("eth0")
            .rxRingVersion(TransportOptions.RxRingVersion.V2).build();
        // 256 KiB / 3 = 87381, down to a multiple of 16: three slots a block, each past the 65 632-byte minimum.
        assertEquals(87_376, v2.ringFrameSize());
        assertEquals(3, v2.blockSizeBytes() / v2.ringFrameSize());

        final TransportOptions smallest = TransportOptions.builder("eth0")
            .rxRingVersion(TransportOptions.RxRingVersion.V2)
            .blockSizeBytes(TransportOptions.MIN_BLOCK_SIZE_BYTES).build();
        assertEquals(TransportOptions.MIN_BLOCK_SIZE_BYTES, smallest.ringFrameSize(), "one slot a 128 KiB block");
        for (int shift = 17; shift <= 24; shift++)
        {
            final TransportOptions options = TransportOptions.builder("eth0")
                .rxRingVersion(TransportOptions.RxRingVersion.V2).blockSizeBytes(1 << shift).blockCount(1).build();
            assertTrue(options.ringFrameSize() >= TransportOptions.MIN_V2_FRAME_SIZE_BYTES &&
                options.ringFrameSize() % TransportOptions.FRAME_ALIGNMENT == 0, options.toString());
        }
    }

    @Test
    void aV2RingDefaultsToMoreBlocksSoItBuffersHundredsOfFramesUnlessTheCountIsGiven()
    {
        final TransportOptions v2 = TransportOptions.builder("eth0")
            .rxRingVersion(TransportOptions.RxRingVersion.V2).build();
        assertEquals(768, v2.blockCount() * (v2.blockSizeBytes() / v2.ringFrameSize()));
        assertEquals(64L << 20, v2.ringBytes());
        assertEquals(TransportOptions.DEFAULT_BLOCK_COUNT, TransportOptions.of("eth0").blockCount());

        assertEquals(2, TransportOptions.builder("eth0").blockCount(2)
            .rxRingVersion(TransportOptions.RxRingVersion.V2).build().blockCount(), "a given count stays");
        assertThrows(IllegalArgumentException.class, () -> TransportOptions.builder("eth0").blockCount(0)
            .rxRingVersion(TransportOptions.RxRingVersion.V2).build());
    }
}
