package io.jlvs.dataplane.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * Network-order reads and writes of frame bytes without a bounds check per field: the per-packet path checks a
 * frame's whole range against its buffer once ({@link #inBounds}) and then reads its headers through these, where
 * Agrona's accessors would check every field again (about a tenth of the established-flow path's time).
 * <p>
 * Every method here trusts its caller: {@code index} and the bytes it covers must lie inside a range that
 * {@link #inBounds} accepted for this buffer, or memory outside the buffer is read or written.
 */
public final class FrameBytes
{
    /** Multi-byte values in memory are in the platform's order; network order is big-endian. */
    private static final boolean SWAP = ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN;
    private static final int BYTE_MASK = 0xFF;
    private static final int U16_MASK = 0xFFFF;
    private static final long U32_MASK = 0xFFFF_FFFFL;
    private static final int MAC_HIGH_BYTES = Short.BYTES;
    private static final int MAC_LOW_BITS = Integer.SIZE;

    private FrameBytes()
    {
    }

    /** Whether {@code [offset, offset + length)} lies inside {@code buffer}; the one check the other methods rely on. */
    public static boolean inBounds(final DirectBuffer buffer, final int offset, final int length)
    {
        return offset >= 0 && length >= 0 && (long)offset + length <= buffer.capacity();
    }

    public static int u8(final DirectBuffer buffer, final int index)
    {
        return UNSAFE.getByte(buffer.byteArray(), buffer.addressOffset() + index) & BYTE_MASK;
    }

    public static int u16(final DirectBuffer buffer, final int index)
    {
        final short value = UNSAFE.getShort(buffer.byteArray(), buffer.addressOffset() + index);
        return (SWAP ? Short.reverseBytes(value) : value) & U16_MASK;
    }

    public static int i32(final DirectBuffer buffer, final int index)
    {
        final int value = UNSAFE.getInt(buffer.byteArray(), buffer.addressOffset() + index);
        return SWAP ? Integer.reverseBytes(value) : value;
    }

    /** A 48-bit MAC address, first byte in bits 40..47. */
    public static long mac(final DirectBuffer buffer, final int index)
    {
        return ((long)u16(buffer, index) << MAC_LOW_BITS) | (i32(buffer, index + MAC_HIGH_BYTES) & U32_MASK);
    }

    public static void putU8(final MutableDirectBuffer buffer, final int index, final int value)
    {
        UNSAFE.putByte(buffer.byteArray(), buffer.addressOffset() + index, (byte)value);
    }

    public static void putU16(final MutableDirectBuffer buffer, final int index, final int value)
    {
        final short s = (short)value;
        UNSAFE.putShort(buffer.byteArray(), buffer.addressOffset() + index, SWAP ? Short.reverseBytes(s) : s);
    }

    public static void putI32(final MutableDirectBuffer buffer, final int index, final int value)
    {
        UNSAFE.putInt(buffer.byteArray(), buffer.addressOffset() + index, SWAP ? Integer.reverseBytes(value) : value);
    }

    /** Writes a 48-bit MAC address (first byte in bits 40..47) into six bytes. */
    public static void putMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        putU16(buffer, index, (int)(mac >>> MAC_LOW_BITS));
        putI32(buffer, index + MAC_HIGH_BYTES, (int)mac);
    }
}
