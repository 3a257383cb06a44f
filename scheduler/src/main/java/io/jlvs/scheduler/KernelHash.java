package io.jlvs.scheduler;

/**
 * The Linux kernel hash primitives the IPVS table schedulers use, reproduced bit for bit so that {@code dh},
 * {@code sh}, {@code mh}, {@code lblc} and {@code lblcr} pick what a kernel director picks for the same input.
 * Allocation-free.
 */
final class KernelHash
{
    /** {@code include/linux/hash.h}: 2^32 times (1 - phi), phi the golden ratio (since Linux 4.7). */
    static final int GOLDEN_RATIO_32 = 0x61C88647;
    private static final int INT_BITS = 32;

    /** SipHash's initial state, "somepseudorandomlygeneratedbytes". */
    private static final long SIP_V0 = 0x736f6d6570736575L;
    private static final long SIP_V1 = 0x646f72616e646f6dL;
    private static final long SIP_V2 = 0x6c7967656e657261L;
    private static final long SIP_V3 = 0x7465646279746573L;
    /** SipHash puts the message length in the top byte of the last block. */
    private static final int LENGTH_SHIFT = 56;
    private static final long FINALISATION_XOR = 0xff;
    private static final long LOW_32 = 0xFFFF_FFFFL;
    /** Bytes in the one u32 that {@code hsiphash(&v, sizeof(v), key)} hashes. */
    private static final long U32_LENGTH = 4;
    /** On 64-bit kernels hsiphash is SipHash-1-3 ({@code lib/siphash.c}): one compression, three finalisation. */
    private static final int HSIPHASH_C_ROUNDS = 1;
    private static final int HSIPHASH_D_ROUNDS = 3;

    private KernelHash()
    {
    }

    /** {@code hash_32(val, bits)}: the top {@code bits} bits of {@code val * GOLDEN_RATIO_32}. */
    static int hash32(final int value, final int bits)
    {
        return (value * GOLDEN_RATIO_32) >>> (INT_BITS - bits);
    }

    /**
     * {@code hsiphash(&v, 4, key)} of a 64-bit kernel: SipHash-1-3 of the u32's four little-endian bytes, keyed by
     * the two unsigned longs of {@code hsiphash_key_t}, truncated to 32 bits.
     */
    static int hsiphash(final int value, final long key0, final long key1)
    {
        return (int)sipHashShort(key0, key1, (U32_LENGTH << LENGTH_SHIFT) | (value & LOW_32),
            HSIPHASH_C_ROUNDS, HSIPHASH_D_ROUNDS);
    }

    /**
     * SipHash-c-d of a message shorter than 8 bytes, given its last block (length in the top byte, bytes little
     * endian below). Package-private so that a test can check the rounds against SipHash-2-4's published vectors.
     */
    static long sipHashShort(
        final long key0, final long key1, final long lastBlock, final int cRounds, final int dRounds)
    {
        long v0 = SIP_V0 ^ key0;
        long v1 = SIP_V1 ^ key1;
        long v2 = SIP_V2 ^ key0;
        long v3 = SIP_V3 ^ key1;
        v3 ^= lastBlock;
        for (int i = 0; i < cRounds + dRounds; i++)
        {
            if (i == cRounds)
            {
                v0 ^= lastBlock;
                v2 ^= FINALISATION_XOR;
            }
            // SIPROUND
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** Whether a protocol carries ports at the start of its header (TCP, UDP, SCTP), as {@code ip_vs_sh_get_port}. */
    static boolean hasPorts(final int protocol)
    {
        return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP || protocol == IPPROTO_SCTP;
    }

    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_SCTP = 132;
}
