package io.jlvs.healthcheck;

import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportException;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.dataplane.transport.afpacket.NetDevice;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a {@link PathChecker} attempt takes from the host it runs on: the routing table and a packet socket of the
 * calling thread's namespace, the clock, a pause while nothing arrives, random numbers. {@link #LINUX} is the real
 * one; a test plays the network (and moves the clock) in {@link #idle()}.
 */
interface ProbeHost
{
    /** The host's: AF_PACKET, {@code /proc/thread-self/net/route}, {@link System#nanoTime()}. */
    ProbeHost LINUX = new Linux();

    /** The routing table of the calling thread's network namespace. */
    RouteTable routes() throws IOException;

    /**
     * A packet socket on {@code interfaceName} of the calling thread's namespace that receives at least the frames
     * that can answer probes of {@code targets} ({@link PathProbeFilter}); closed by the caller.
     */
    PacketTransport open(String interfaceName, List<VirtualAddress> targets);

    long nanoTime();

    /** Nothing was received: wait a little before polling again. */
    void idle();

    int randomInt();

    /** {@link ProbeHost#LINUX}. */
    final class Linux implements ProbeHost
    {
        /**
         * The kernel's filter hands the probe socket only ARP replies and the answers to its SYNs, a handful per
         * attempt: 2 blocks of the smallest size (256 KiB) hold ~2000 small frames, and the kernel fills one while
         * the other is read.
         */
        static final int RING_BLOCKS = 2;
        /**
         * Between empty polls: well under the ring's 1 ms block timeout (which bounds how late a frame shows up
         * anyway) and long enough that waiting for an answer costs next to no CPU.
         */
        static final long IDLE_NS = TimeUnit.MICROSECONDS.toNanos(200);

        private Linux()
        {
        }

        @Override
        public RouteTable routes() throws IOException
        {
            return RouteTable.readCurrentThreadNamespace();
        }

        @Override
        public PacketTransport open(final String interfaceName, final List<VirtualAddress> targets)
        {
            // The filter needs the address the probe leaves from before the socket exists (it is attached before
            // bind); the transport reads it again when it opens, and both must agree.
            final int director = NetDevice.query(interfaceName).ipv4Address();
            // No fanout group (the director's frames stay the director's), no virtio header (a few small frames with
            // full checksums), never the frames this host sends (our own probes included).
            final AfPacketTransport transport = AfPacketTransport.open(TransportOptions.builder(interfaceName)
                .blockSizeBytes(TransportOptions.MIN_BLOCK_SIZE_BYTES)
                .blockCount(RING_BLOCKS)
                .txBatchSize(PathCheck.MAX_TARGETS)
                .sendBufferBytes(0)
                .vnetHeader(false)
                .ignoreOutgoing(true)
                .receiveFilter(PathProbeFilter.program(director, targets))
                .build());
            if (transport.ipv4Address() != director)
            {
                transport.close();
                throw new TransportException("the IPv4 address of " + interfaceName + " changed while the probe " +
                    "socket was opened", 0);
            }
            return transport;
        }

        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public void idle()
        {
            LockSupport.parkNanos(IDLE_NS);
        }

        @Override
        public int randomInt()
        {
            return ThreadLocalRandom.current().nextInt();
        }
    }
}
