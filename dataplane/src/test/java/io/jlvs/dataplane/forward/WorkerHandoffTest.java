package io.jlvs.dataplane.forward;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.afpacket.FanoutByClient;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.fixtures.IcmpFrames;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static io.jlvs.fixtures.FrameBuilder.SYN;
import static io.jlvs.fixtures.FrameBuilder.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two workers: an ICMP error that reaches the worker that does not hold the connection is handed to the one that does. */
class WorkerHandoffTest
{
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final long RS_MAC = 0x02_00_00_00_00_11L;
    private static final long ROUTER_MAC = 0x02_00_00_00_00_01L;
    private static final String VIP = "198.18.0.100";
    private static final String RS = "198.18.0.11";

    private final MemoryTransport[] transports = {transport(), transport()};
    private final Director director = new Director(List.<PacketTransport>of(transports[0], transports[1]),
        DirectorOptions.defaults().withRingSize(8).withConnectionCapacity(1024));
    private final FrameEvent event = new FrameSlots(1).newInstance();
    private long sequence;
    private long nowNs = 1_000_000_000_000L;

    private static MemoryTransport transport()
    {
        return MemoryTransport.builder().macAddress(DIRECTOR_MAC).ipv4Address(address("198.18.0.2")).mtu(1500).build();
    }

    private void deliver(final int worker, final byte[] frame, final int kind)
    {
        event.buffer().putBytes(FrameEvent.FRAME_OFFSET, frame);
        event.set(kind, frame.length, false, 0, nowNs);
        final ForwardingHandler handler = director.forwardingHandler(worker);
        handler.onBatchStart(1, 0);
        handler.onEvent(event, sequence++, true);
    }

    private void tick(final int worker)
    {
        deliver(worker, new byte[0], FrameEvent.KIND_TICK);
    }

    @Test
    void anIcmpErrorAboutAnotherWorkersConnectionIsHandedToIt()
    {
        director.apply(List.of(VirtualServiceSpec.of(6, address(VIP), 80, "rr",
            List.of(RealServerSpec.route(address(RS), 80, 1)))));
        tick(0);
        tick(1);
        deliver(0, FrameBuilder.arpReply(RS_MAC, RS, DIRECTOR_MAC, "198.18.0.2"), FrameEvent.KIND_FRAME);
        tick(0);
        transports[0].clearSent();

        // A client the fanout program gives to worker 1.
        String client = null;
        for (int last = 10; last < 250 && client == null; last++)
        {
            if (FanoutByClient.hash(address("198.18.0." + last)) % 2 == 1)
            {
                client = "198.18.0." + last;
            }
        }
        deliver(1, FrameBuilder.tcp().src(client, 40_000).dst(VIP, 80).flags(SYN).build(), FrameEvent.KIND_FRAME);
        assertEquals(1, transports[1].sent().size(), "worker 1 forwards its client's SYN (MACs read from worker 0)");
        transports[1].clearSent();

        // The router hashes to worker 0; the connection lives in worker 1's shard.
        final byte[] reply = FrameBuilder.tcp().src(VIP, 80).dst(client, 40_000).flags(SYN | FrameBuilder.ACK)
            .fragmentField(0x4000).build();
        final byte[] error = IcmpFrames.error(DIRECTOR_MAC, ROUTER_MAC, "198.18.0.1", VIP, 3, 4, 1400,
            IcmpFrames.ipPacket(reply), 28);
        deliver(0, error, FrameEvent.KIND_FRAME);
        assertEquals(1, director.counters().get(0, Counter.HANDED_OVER_OUT));
        assertTrue(transports[0].sent().isEmpty());

        tick(1);
        assertEquals(1, director.counters().get(1, Counter.HANDED_OVER_IN));
        assertEquals(1, director.counters().get(1, Counter.ICMP_RELAYED_TO_SERVER));
        final byte[] relayed = transports[1].sent().get(0);
        assertEquals(RS_MAC, ByteBuffer.wrap(relayed).getLong(0) >>> 16, "to the connection's real server");
    }
}
