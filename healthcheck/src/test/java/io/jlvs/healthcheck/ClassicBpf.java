package io.jlvs.healthcheck;

import io.jlvs.dataplane.transport.BpfProgram;

/**
 * A classic BPF interpreter for the tests, with only the instructions {@link PathProbeFilter} uses, run as the kernel
 * runs a socket filter: a load past the end of the frame ends the program with 0 (drop); an instruction it does not
 * know fails the test.
 */
final class ClassicBpf
{
    private static final int BYTE_MASK = 0xFF;
    private static final int IHL_MASK = 0x0F;
    private static final int IHL_UNIT_SHIFT = 2;

    private ClassicBpf()
    {
    }

    /** What {@code program} returns for {@code frame}: the bytes the kernel would keep, 0 when it drops the frame. */
    static long run(final BpfProgram program, final byte[] frame)
    {
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true)
        {
            final long instruction = program.instruction(pc);
            final int code = BpfProgram.code(instruction);
            final int k = BpfProgram.k(instruction);
            pc++;
            switch (code)
            {
                case BpfProgram.LD_W_ABS ->
                {
                    if (!fits(frame, k, Integer.BYTES))
                    {
                        return 0;
                    }
                    a = word(frame, k) << Short.SIZE | word(frame, k + Short.BYTES);
                }
                case BpfProgram.LD_H_ABS ->
                {
                    if (!fits(frame, k, Short.BYTES))
                    {
                        return 0;
                    }
                    a = word(frame, k);
                }
                case BpfProgram.LD_B_ABS ->
                {
                    if (!fits(frame, k, 1))
                    {
                        return 0;
                    }
                    a = frame[k] & BYTE_MASK;
                }
                case BpfProgram.LD_H_IND ->
                {
                    if (!fits(frame, x + k, Short.BYTES))
                    {
                        return 0;
                    }
                    a = word(frame, x + k);
                }
                case BpfProgram.LDX_B_MSH ->
                {
                    if (!fits(frame, k, 1))
                    {
                        return 0;
                    }
                    x = (frame[k] & IHL_MASK) << IHL_UNIT_SHIFT;
                }
                case BpfProgram.JMP_JEQ_K -> pc += a == k ? BpfProgram.jumpTrue(instruction) :
                    BpfProgram.jumpFalse(instruction);
                case BpfProgram.JMP_JGE_K -> pc += Integer.compareUnsigned(a, k) >= 0 ?
                    BpfProgram.jumpTrue(instruction) : BpfProgram.jumpFalse(instruction);
                case BpfProgram.JMP_JSET_K -> pc += (a & k) != 0 ? BpfProgram.jumpTrue(instruction) :
                    BpfProgram.jumpFalse(instruction);
                case BpfProgram.RET_K ->
                {
                    return Integer.toUnsignedLong(k);
                }
                case BpfProgram.RET_A ->
                {
                    return Integer.toUnsignedLong(a);
                }
                default -> throw new AssertionError("instruction " + (pc - 1) + ": code 0x" +
                    Integer.toHexString(code) + " is not one this interpreter knows");
            }
        }
    }

    /** Whether the program keeps any of {@code frame}. */
    static boolean accepts(final BpfProgram program, final byte[] frame)
    {
        return run(program, frame) != 0;
    }

    private static boolean fits(final byte[] frame, final int offset, final int length)
    {
        return offset >= 0 && offset + length <= frame.length;
    }

    private static int word(final byte[] frame, final int offset)
    {
        return (frame[offset] & BYTE_MASK) << Byte.SIZE | frame[offset + 1] & BYTE_MASK;
    }
}
