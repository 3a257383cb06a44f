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
}
