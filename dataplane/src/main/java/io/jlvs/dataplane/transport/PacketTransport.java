package io.jlvs.dataplane.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One director interface's frames in and out.
 * <p>
 * Single-threaded on each side: {@link #receive} on the capture thread; {@link #queue}/{@link #flush} on the forwarding
 * thread. The two may be different threads: the RX side and the TX side share no mutable state. None of the per-frame
 * methods allocates, blocks, locks, logs or throws; failures are counted in {@link #counters()}.
 */
public interface PacketTransport extends AutoCloseable
{
    /** The default {@link #awaitFrames} park: short, since nothing wakes it when a frame arrives. */
    long DEFAULT_IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /** The interface name the transport was opened on, e.g. {@code eth0}. */
    String interfaceName();

    /** The interface index in the network namespace the transport was opened in. */
    int interfaceIndex();

    /** The interface's MAC address: 48 bits in a long, first byte in bits 40..47. */
    long macAddress();

    /** The interface's primary IPv4 address in host byte order, 0 if it has none. */
    int ipv4Address();

    /** The interface MTU in bytes (IP packet size, without the Ethernet header). */
    int mtu();

    /**
     * True when received frames carry a virtio_net_hdr ({@code PACKET_VNET_HDR}) and queued frames must start with
     * one (see {@link VnetHeader}).
     */
    boolean vnetHeader();

    /**
     * Hands up to {@code limit} received frames to the sink; never blocks.
     *
     * @return how many frames were handed to the sink (0 when none were ready).
     */
    int receive(FrameSink sink, int limit);

    /**
     * Capture thread, when {@link #receive} found nothing several times running: waits until frames may have arrived
     * or at most about {@code maxWaitNs}, whichever comes first, without burning a core. A transport that the kernel
     * can wake (AF_PACKET: {@code poll} on the ring) returns as soon as a frame is there; this default just parks for
     * the shorter of {@code maxWaitNs} and {@link #DEFAULT_IDLE_PARK_NS}.
     */
    default void awaitFrames(final long maxWaitNs)
    {
        LockSupport.parkNanos(Math.min(maxWaitNs, DEFAULT_IDLE_PARK_NS));
    }

    /**
     * Queues one frame for the next {@link #flush()}. Zero-copy: the bytes at {@code address}
     * ({@code [virtio_net_hdr if vnetHeader()][Ethernet frame]}) are read by flush(), so they must stay unchanged
     * until it returns.
     *
     * @return false, queuing nothing, when the batch is full (counted as {@code txDroppedBatchFull}); flush and queue
     * again to not drop it.
     */
    boolean queue(long address, int length);

    /**
     * Sends all queued frames (one {@code sendmmsg}, one kernel crossing for the batch) and empties the batch.
     *
     * @return how many frames the kernel accepted; the others are counted, never thrown.
     */
    int flush();

    /** The transport's counters; each has a single writer (the RX or the TX thread) and any thread may read them. */
    TransportCounters counters();

    /** Releases the socket and its memory; idempotent. Call once the capture and forwarding threads stopped. */
    @Override
    void close();
}
