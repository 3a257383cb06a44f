package io.jlvs.conntrack;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key index on its own: full lines overflow into the next ones (wrapping at the end), removals take the
 * overflow counts back, and every stored key is found and every other one is not, checked against a map after
 * every step. A small index so that nearly every line overflows.
 */
class KeyIndexTest
{
    private static final int CAPACITY = 12;
    private static final int STEPS = 200_000;
    private static final long SERVICE = EntryLayout.serviceKey(0xC6120064, IpProtocol.TCP, EntryLayout.KIND_CONNECTION);

    private record Key(long client, long service)
    {
    }

    @Test
    void findsExactlyTheStoredKeysThroughOverflowAndRemoval()
    {
        final long seed = System.nanoTime();
        System.out.println("KeyIndexTest seed=" + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final KeyIndex index = new KeyIndex(CAPACITY, seed, false, NativeMemory.LINUX);
        final Map<Key, Integer> handles = new HashMap<>();
        final Map<Key, Integer> slots = new HashMap<>();
        int longest = 0;
        for (int step = 0; step < STEPS; step++)
        {
            // Few distinct keys, so that removed keys come back and lookups of absent keys cross full lines.
            final Key key = new Key(random.nextInt(64), random.nextBoolean() ? SERVICE : SERVICE + 1);
            if (handles.containsKey(key))
            {
                if (random.nextInt(3) > 0)
                {
                    index.remove(slots.remove(key));
                    handles.remove(key);
                }
            }
            else if (handles.size() < CAPACITY)
            {
                final int slot = index.add(key.client(), key.service(), step);
                assertNotEquals(NO_ENTRY, slot, "seed " + seed + ": a free slot while below capacity");
                handles.put(key, step);
                slots.put(key, slot);
            }
            for (int client = 0; client < 64; client++)
            {
                for (final long service : new long[] {SERVICE, SERVICE + 1})
                {
                    final Integer expected = handles.get(new Key(client, service));
                    assertEquals(expected == null ? NO_ENTRY : expected, index.find(client, service),
                        "seed " + seed + ", step " + step + ", client " + client);
                }
            }
            longest = Math.max(longest, index.longestProbe());
        }
        assertTrue(longest > 1, "keys overflowed past their home line (longest probe " + longest + ")");
    }
}
