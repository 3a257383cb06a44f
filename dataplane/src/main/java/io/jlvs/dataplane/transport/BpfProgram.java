package io.jlvs.dataplane.transport;

import java.util.Arrays;

/**
 * An immutable classic BPF program ({@code struct sock_filter[]}), checked when built: the fanout group's spreading
 * program and a socket's receive filter ({@link TransportOptions#receiveFilter()}). Each instruction is a
 * {@code struct sock_filter} as the little-endian machines jlvs runs on lay it out in a long: code (16 bits), jt (8),
 * jf (8), k (32).
 */
public final class BpfProgram
{
    /** {@code BPF_MAXINSNS}: the kernel refuses a longer classic program. */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** A conditional jump skips at most 255 instructions: jt and jf are 8 bits. */
    public static final int MAX_JUMP = 0xFF;

    /** {@code BPF_LD | BPF_W | BPF_ABS}: A = 32-bit word at packet offset k (big-endian). */
    public static final int LD_W_ABS = 0x20;
    /** {@code BPF_LD | BPF_H | BPF_ABS}: A = 16-bit word at packet offset k. */
    public static final int LD_H_ABS = 0x28;
    /** {@code BPF_LD | BPF_B | BPF_ABS}: A = byte at packet offset k. */
    public static final int LD_B_ABS = 0x30;
    /** {@code BPF_LD | BPF_H | BPF_IND}: A = 16-bit word at packet offset X + k. */
    public static final int LD_H_IND = 0x48;
    /** {@code BPF_LDX | BPF_B | BPF_MSH}: X = 4 * (byte at k &amp; 0xF), an IPv4 header's length. */
    public static final int LDX_B_MSH = 0xB1;
    /** {@code BPF_ALU | BPF_MUL | BPF_K}: A *= k. */
    public static final int ALU_MUL_K = 0x24;
    /** {@code BPF_ALU | BPF_RSH | BPF_K}: A >>>= k. */
    public static final int ALU_RSH_K = 0x74;
    /** {@code BPF_JMP | BPF_JEQ | BPF_K}: A == k ? jt : jf. */
    public static final int JMP_JEQ_K = 0x15;
    /** {@code BPF_JMP | BPF_JGE | BPF_K}: A >= k (unsigned) ? jt : jf. */
    public static final int JMP_JGE_K = 0x35;
    /** {@code BPF_JMP | BPF_JSET | BPF_K}: (A &amp; k) != 0 ? jt : jf. */
    public static final int JMP_JSET_K = 0x45;
    /** {@code BPF_RET | BPF_K}: keep k bytes of the packet (0: drop it). */
    public static final int RET_K = 0x06;
    /** {@code BPF_RET | BPF_A}: return A. */
    public static final int RET_A = 0x16;
    /** {@code SKF_AD_OFF + SKF_AD_PROTOCOL}: the ancillary load of {@code skb->protocol} in host order. */
    public static final int ANCILLARY_PROTOCOL = -0x1000;

    private static final int CLASS_MASK = 0x07;
    private static final int CLASS_JMP = 0x05;
    private static final int CLASS_RET = 0x06;
    private static final int OP_MASK = 0xF0;
    private static final int OP_JA = 0x00;
    private static final int CODE_BITS = 0xFFFF;
    private static final int JT_SHIFT = 16;
    private static final int JF_SHIFT = 24;
    private static final int K_SHIFT = 32;

    private final long[] instructions;

    private BpfProgram(final long[] instructions)
    {
        this.instructions = instructions;
    }

    /**
     * The program of {@code instructions} (copied), each from {@link #instruction}.
     *
     * @throws IllegalArgumentException when it is empty or longer than {@link #MAX_INSTRUCTIONS}, a jump leaves it or
     *                                  the last instruction is no return: what the kernel would refuse with EINVAL.
     */
    public static BpfProgram of(final long... instructions)
    {
        final long[] copy = instructions.clone();
        if (copy.length == 0 || copy.length > MAX_INSTRUCTIONS)
        {
            throw new IllegalArgumentException(
                "a BPF program has 1.." + MAX_INSTRUCTIONS + " instructions, this one " + copy.length);
        }
        for (int i = 0; i < copy.length; i++)
        {
            final int code = code(copy[i]);
            if ((code & CLASS_MASK) != CLASS_JMP)
            {
                continue;
            }
            // Jumps count from the next instruction; BPF_JA takes its distance from k, the others from jt and jf.
            final long farthest = (code & OP_MASK) == OP_JA ? k(copy[i]) & 0xFFFF_FFFFL :
                Math.max(jumpTrue(copy[i]), jumpFalse(copy[i]));
            if (i + 1 + farthest >= copy.length)
            {
                throw new IllegalArgumentException("BPF instruction " + i + " jumps past the end of the program");
            }
        }
        if ((code(copy[copy.length - 1]) & CLASS_MASK) != CLASS_RET)
        {
            throw new IllegalArgumentException("a BPF program ends with a return, this one with code 0x" +
                Integer.toHexString(code(copy[copy.length - 1])));
        }
        return new BpfProgram(copy);
    }

    /**
     * One {@code struct sock_filter}.
     *
     * @throws IllegalArgumentException when a jump is more than {@link #MAX_JUMP} instructions or the code more than
     *                                  16 bits: the field would silently wrap.
     */
    public static long instruction(final int code, final int jumpTrue, final int jumpFalse, final int k)
    {
        if (code < 0 || code > CODE_BITS || jumpTrue < 0 || jumpTrue > MAX_JUMP || jumpFalse < 0 ||
            jumpFalse > MAX_JUMP)
        {
            throw new IllegalArgumentException("BPF instruction out of range: code 0x" + Integer.toHexString(code) +
                ", jt " + jumpTrue + ", jf " + jumpFalse + " (jumps are 0.." + MAX_JUMP + ")");
        }
        return code | ((long)jumpTrue << JT_SHIFT) | ((long)jumpFalse << JF_SHIFT) | ((k & 0xFFFF_FFFFL) << K_SHIFT);
    }

    public static int code(final long instruction)
    {
        return (int)instruction & CODE_BITS;
    }

    public static int jumpTrue(final long instruction)
    {
        return (int)(instruction >>> JT_SHIFT) & MAX_JUMP;
    }

    public static int jumpFalse(final long instruction)
    {
        return (int)(instruction >>> JF_SHIFT) & MAX_JUMP;
    }

    public static int k(final long instruction)
    {
        return (int)(instruction >>> K_SHIFT);
    }

    /** The number of instructions ({@code sock_fprog.len}). */
    public int length()
    {
        return instructions.length;
    }

    /** Instruction {@code index}, laid out as {@code struct sock_filter}. */
    public long instruction(final int index)
    {
        return instructions[index];
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof BpfProgram && Arrays.equals(instructions, ((BpfProgram)other).instructions);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(instructions);
    }

    /** One line per instruction, as {@code { code, jt, jf, k }} in the notation of {@code tcpdump -dd}. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final long instruction : instructions)
        {
            text.append(String.format("{ 0x%02x, %d, %d, 0x%08x },%n", code(instruction), jumpTrue(instruction),
                jumpFalse(instruction), k(instruction)));
        }
        return text.toString();
    }
}
