package io.jlvs.conntrack;

import io.jlvs.fixtures.Allocations;
import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The per-packet operations (lookup, insert, onPacket, reuse check, template lookup/insert/touch, remove, expire,
 * listing) allocate nothing, on the paths a busy director drives: hits, misses, a full table shedding and refusing.
 */
class ZeroAllocationTest
{
    private static final int STEPS = 100_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int WINDOWS = 4;
    private static final int CAPACITY = 4096;
    private static final long STEP_NS = 3_000_000;
    private static final int[] FLAGS = {TcpFlags.SYN, TcpFlags.ACK, TcpFlags.ACK, TcpFlags.FIN, TcpFlags.RST};

    /** Sums deltas into primitives: the forwarding side's real listener is as cheap. */
    private static final class Sums implements ConnectionListener
    {
        long total;

        @Override
        public void onCountersChanged(
            final int serverId, final int activeDelta, final int inactiveDelta, final int persistentDelta)
        {
            total += serverId + activeDelta + inactiveDelta + persistentDelta;
        }
    }

    private static long drive(final ConnectionTable table, final int from, final int count)
    {
        long sink = 0;
        for (int i = from; i < from + count; i++)
        {
            final long now = i * STEP_NS;
            final int client = 0xC6120000 + (i * 7919 & 0x3FFF);
            final int port = 1024 + (i & 0x3F);
            int h = table.lookup(IpProtocol.TCP, client, port, 0xC6130001, 80);
            if (h == NO_ENTRY || table.isReusable(h))
            {
                if (h != NO_ENTRY)
                {
                    table.remove(h);
                }
                int t = NO_ENTRY;
                if ((i & 7) == 0)
                {
                    t = table.lookupTemplate(IpProtocol.TCP, client & 0xFFFFFF00, 0xC6130001, 80);
                    if (t == NO_ENTRY)
                    {
                        t = table.insertTemplate(IpProtocol.TCP, client & 0xFFFFFF00, 0xC6130001, 80, i & 3,
                            60_000_000_000L, now);
                    }
                }
                h = table.insert(IpProtocol.TCP, client, port, 0xC6130001, 80, i & 3, t, now);
                if (t != NO_ENTRY)
                {
                    table.touchTemplate(t, now);
                }
            }
            if (h != NO_ENTRY)
            {
                sink += table.onPacket(h, FLAGS[i % FLAGS.length], now) + table.serverId(h);
            }
            sink += table.expire(now, 64);
        }
        return sink;
    }

    @Test
    void perPacketOperationsAllocateNothing()
    {
        assumeTrue(Allocations.supported(), "thread allocation accounting unsupported");
        final Sums sums = new Sums();
        final ConnectionTable table = new ConnectionTable(CAPACITY, Timeouts.ipvsDefaults(), sums, 11);
        final ConnectionVisitor visitor =
            (protocol, clientAddr, clientPort, vaddr, vport, serverId, state, template, expiresInNs) -> { };
        final long[] sink = {0};
        // Several calls, so that the JIT has compiled drive itself (not only its loop) before we measure.
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            sink[0] += drive(table, round * STEPS, STEPS);
            table.forEach(visitor, round * STEPS * STEP_NS);
        }

        final Allocations.Windows windows = Allocations.fewestOver(WINDOWS, window ->
        {
            final int round = WARM_UP_ROUNDS + window;
            sink[0] += drive(table, round * STEPS, STEPS);
            table.forEach(visitor, (round + 1) * STEPS * STEP_NS);
        });

        assertEquals(0, windows.fewest(),
            "bytes allocated per window of " + STEPS + " steps: " + windows.perWindow() + " (sink " + sink[0] +
            sums.total + ")");
        assertTrue(table.shedHalfOpen() + table.refusedFull() > 0, "the run filled the table");
        assertTrue(table.expiredTotal() > 0, "the run expired entries");
    }
}
