package io.jlvs.dataplane.codec;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameBytesTest
{
    private static final int LENGTH = 64;

    @Test
    void readsAsAgronasBigEndianAccessorsOnHeapAndOffHeap()
    {
        final long seed = System.nanoTime();
        System.out.println("FrameBytesTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[LENGTH]);
        final UnsafeBuffer direct = new UnsafeBuffer(BufferUtil.allocateDirectAligned(LENGTH, 64));
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {heap, direct})
        {
            for (int round = 0; round < 100; round++)
            {
                for (int i = 0; i < LENGTH; i++)
                {
                    buffer.putByte(i, (byte)random.nextInt());
                }
                final int index = random.nextInt(LENGTH - Long.BYTES);
                final String where = "seed=" + seed + " index=" + index;
                assertEquals(buffer.getByte(index) & 0xFF, FrameBytes.u8(buffer, index), where);
                assertEquals(buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF, FrameBytes.u16(buffer, index), where);
                assertEquals(buffer.getInt(index, ByteOrder.BIG_ENDIAN), FrameBytes.i32(buffer, index), where);
                final long mac = ((buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL) << 32) |
                    (buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
                assertEquals(mac, FrameBytes.mac(buffer, index), where);
            }
        }
    }

    @Test
    void writesInNetworkOrderAndOnlyTheBytesNamed()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        FrameBytes.putMac(buffer, 1, 0x0A0B0C0D0E0FL);
        FrameBytes.putU16(buffer, 7, 0xBEEF);
        FrameBytes.putI32(buffer, 9, 0x01020304);
        FrameBytes.putU8(buffer, 13, 0x99);
        final byte[] expected = {0, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, (byte)0xBE, (byte)0xEF, 1, 2, 3, 4, (byte)0x99,
            0, 0};
        assertArrayEquals(expected, buffer.byteArray());
    }

    @Test
    void acceptsOnlyRangesInsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[LENGTH]);
        assertTrue(FrameBytes.inBounds(buffer, 0, LENGTH));
        assertTrue(FrameBytes.inBounds(buffer, LENGTH, 0));
        assertFalse(FrameBytes.inBounds(buffer, 1, LENGTH));
        assertFalse(FrameBytes.inBounds(buffer, -1, 2));
        assertFalse(FrameBytes.inBounds(buffer, 0, -1));
        assertFalse(FrameBytes.inBounds(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }
}
