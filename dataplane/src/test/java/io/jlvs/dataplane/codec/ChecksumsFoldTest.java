package io.jlvs.dataplane.codec;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumsFoldTest
{
    /** The textbook loop, as the reference the loop-free fold must agree with. */
    private static int referenceFold(final long sum)
    {
        long s = sum;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)s;
    }

    @Test
    void foldsLikeTheEndAroundCarryLoopForEverySumBelowTwoToTheFortyEight()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] edges = {0, 0xFFFF, 0x10000, 0x1FFFE, 0xFFFF_FFFFL, 0x1_0000_0000L, (1L << 48) - 1, 0xFFFE_FFFF_0001L};
        for (final long sum : edges)
        {
            assertEquals(referenceFold(sum), Checksums.fold(sum), "sum=" + Long.toHexString(sum));
        }
        for (int i = 0; i < 1_000_000; i++)
        {
            final long sum = random.nextLong(1L << 48);
            assertEquals(referenceFold(sum), Checksums.fold(sum), "seed=" + seed + " sum=" + Long.toHexString(sum));
        }
    }
}
