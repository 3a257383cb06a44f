package io.jlvs.dataplane.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VnetHeaderTest
{
    @Test
    void layoutMatchesStructVirtioNetHdr()
    {
        assertEquals(0, VnetHeader.FLAGS_OFFSET);
        assertEquals(1, VnetHeader.GSO_TYPE_OFFSET);
        assertEquals(2, VnetHeader.HDR_LEN_OFFSET);
        assertEquals(4, VnetHeader.GSO_SIZE_OFFSET);
        assertEquals(6, VnetHeader.CSUM_START_OFFSET);
        assertEquals(8, VnetHeader.CSUM_OFFSET_OFFSET);
        assertEquals(10, VnetHeader.LENGTH);
    }

    @Test
    void writesLittleEndianFieldsAsTheKernelReadsThem()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VnetHeader.LENGTH + 2]);

        VnetHeader.write(buffer, 2, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4 | VnetHeader.GSO_ECN, 0x0142,
            1448, 34, 16);

        assertArrayEquals(new byte[]{0, 0, 1, (byte)0x81, 0x42, 0x01, (byte)0xA8, 0x05, 34, 0, 16, 0},
            buffer.byteArray());
        assertEquals(VnetHeader.F_NEEDS_CSUM, VnetHeader.flags(buffer, 2));
        assertEquals(0x81, VnetHeader.gsoType(buffer, 2));
        assertEquals(0x0142, VnetHeader.hdrLen(buffer, 2));
        assertEquals(1448, VnetHeader.gsoSize(buffer, 2));
        assertEquals(34, VnetHeader.csumStart(buffer, 2));
        assertEquals(16, VnetHeader.csumOffset(buffer, 2));
        assertTrue(VnetHeader.isGso(buffer, 2));
        assertTrue(VnetHeader.needsChecksum(buffer, 2));
    }

    @Test
    void clearedHeaderAsksForNoOffload()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VnetHeader.LENGTH]);
        VnetHeader.write(buffer, 0, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_UDP_L4, 1, 2, 3, 4);

        VnetHeader.clear(buffer, 0);

        assertArrayEquals(new byte[VnetHeader.LENGTH], buffer.byteArray());
        assertFalse(VnetHeader.isGso(buffer, 0));
        assertFalse(VnetHeader.needsChecksum(buffer, 0));
    }

    @Test
    void ecnFlagAloneIsNotGso()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VnetHeader.LENGTH]);
        VnetHeader.write(buffer, 0, 0, VnetHeader.GSO_ECN, 0, 0, 0, 0);

        assertFalse(VnetHeader.isGso(buffer, 0));
    }
}
