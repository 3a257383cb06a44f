package io.jlvs.dataplane.pipeline;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The capture thread's idling: spins, then yields, then waits in the transport for at most the tick interval. */
class CaptureIdleStrategyTest
{
    private static final int SPINS = 3;
    private static final int YIELDS = 2;
    private static final long TICK_NS = 1_000_000;

    /** A transport that records the waits asked of it instead of waiting. */
    private static final class WaitRecorder implements PacketTransport
    {
        final List<Long> waits = new ArrayList<>();
        private final TransportCounters counters = new TransportCounters();

        @Override
        public void awaitFrames(final long maxWaitNs)
        {
            waits.add(maxWaitNs);
        }

        @Override
        public String interfaceName()
        {
            return "wait0";
        }

        @Override
        public int interfaceIndex()
        {
            return 1;
        }

        @Override
        public long macAddress()
        {
            return 0;
        }

        @Override
        public int ipv4Address()
        {
            return 0;
        }

        @Override
        public int mtu()
        {
            return 1500;
        }

        @Override
        public boolean vnetHeader()
        {
            return false;
        }

        @Override
        public int receive(final FrameSink sink, final int limit)
        {
            return 0;
        }

        @Override
        public boolean queue(final long address, final int length)
        {
            return false;
        }

        @Override
        public int flush()
        {
            return 0;
        }

        @Override
        public TransportCounters counters()
        {
            return counters;
        }

        @Override
        public void close()
        {
        }
    }

    @Test
    void waitsInTheTransportOnlyAfterSpinningAndYieldingAndStartsOverAfterWork()
    {
        final WaitRecorder transport = new WaitRecorder();
        final CaptureIdleStrategy idle = new CaptureIdleStrategy(transport, SPINS, YIELDS, TICK_NS);

        for (int i = 0; i < SPINS + YIELDS; i++)
        {
            idle.idle(0);
        }
        assertEquals(List.of(), transport.waits, "spins and yields first");
        idle.idle(0);
        idle.idle();
        assertEquals(List.of(TICK_NS, TICK_NS), transport.waits, "then waits, never past the next tick");

        idle.idle(1);
        for (int i = 0; i < SPINS + YIELDS; i++)
        {
            idle.idle(0);
        }
        assertEquals(2, transport.waits.size(), "work restarts the spinning");
        idle.idle(0);
        assertEquals(3, transport.waits.size());
    }
}
