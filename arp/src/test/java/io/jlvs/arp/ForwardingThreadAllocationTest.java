package io.jlvs.arp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.jlvs.arp.NeighbourTableTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The forwarding thread's calls allocate nothing: per ARP frame, per lookup, per tick, and on adopting a new set. */
class ForwardingThreadAllocationTest
{
    private static final int WARM_UP_ROUNDS = 20_000;
    private static final int MEASURED_ROUNDS = 20_000;
    private static final int MEASUREMENT_WINDOWS = 5;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void forwardingThreadCallsAllocateNothing()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "thread allocation accounting is off in this JVM");

        final long directorMac = MacAddress.parse("02:00:00:00:00:01");
        final int vip = ip(198, 18, 0, 100);
        final int rs1 = ip(198, 18, 0, 11);
        final int rs2 = ip(198, 18, 0, 12);
        final NeighbourTable neighbours = new NeighbourTable(NeighbourTimers.DEFAULT.reachableNs(5 * SECOND));
        final ArpResponder responder = new ArpResponder(directorMac, neighbours);
        responder.virtualAddresses(new int[]{ vip });
        neighbours.wanted(new int[]{ rs1, rs2 });

        final UnsafeBuffer request = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        ArpResponder.writeRequest(request, 0, MacAddress.parse("02:00:00:00:00:0b"), rs1, vip, NeighbourTable.BROADCAST_MAC);
        final UnsafeBuffer truncated = new UnsafeBuffer(new byte[ArpHeader.FRAME_LENGTH - 1]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        final CountingSink sink = new CountingSink();
        final long[] clock = { 0 };

        final Runnable round = () ->
        {
            final long now = clock[0] += SECOND / 10;
            responder.onArpFrame(request, 0, request.capacity(), out, 0, now);
            responder.onArpFrame(truncated, 0, truncated.capacity(), out, 0, now);
            neighbours.lookup(rs1);
            neighbours.lookup(rs2);
            neighbours.poll(now, sink);
            ArpResponder.writeRequest(out, 0, directorMac, rs2, rs1, NeighbourTable.BROADCAST_MAC);
            ArpResponder.writeGratuitousArp(out, 0, directorMac, vip);
        };
        for (int i = 0; i < WARM_UP_ROUNDS; i++)
        {
            round.run();
        }
        final Runnable rounds = () ->
        {
            for (int i = 0; i < MEASURED_ROUNDS; i++)
            {
                round.run();
            }
        };

        // The JVM itself sometimes allocates a few hundred bytes once (compilation, deoptimisation) while our code
        // runs; a per-call allocation would show in every window as at least MEASURED_ROUNDS * 16 bytes. So: some
        // window, each including the adoption of a new wanted set, must allocate exactly nothing.
        final long overhead = measure(threads, () -> { });
        final StringBuilder windows = new StringBuilder();
        long fewest = Long.MAX_VALUE;
        for (int window = 0; window < MEASUREMENT_WINDOWS && fewest > overhead; window++)
        {
            neighbours.wanted(window % 2 == 0 ? new int[]{ rs2, rs1 } : new int[]{ rs1 });   // control plane
            final long allocated = measure(threads, rounds);
            windows.append(allocated).append(' ');
            fewest = Math.min(fewest, allocated);
        }

        assertEquals(overhead, fewest, "bytes allocated per window of " + MEASURED_ROUNDS + " rounds: " + windows);
        assertTrue(sink.probes > 0 && responder.requestsAnswered() > 0, "the rounds did real work");
    }

    private static long measure(final com.sun.management.ThreadMXBean threads, final Runnable work)
    {
        final long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static final class CountingSink implements NeighbourTable.ProbeSink
    {
        long probes;
        long changes;

        @Override
        public void probe(final int targetAddress, final long dstMac)
        {
            probes++;
        }

        @Override
        public void reachabilityChanged(final int address, final boolean reachable)
        {
            changes++;
        }
    }
}
