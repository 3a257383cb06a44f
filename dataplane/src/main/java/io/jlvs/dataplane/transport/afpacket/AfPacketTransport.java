package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportException;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.VnetHeader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Linux transport: one AF_PACKET socket bound to one interface, an RX ring read in place ({@link RxRingV3} by
 * default, or {@link RxRingV2} for the lowest latency at low rates) and {@code sendmmsg} TX batches ({@link SendBatch}), with {@code PACKET_VNET_HDR} so that partial
 * checksums and GSO super-frames cross the socket as metadata and leave correct.
 * <p>
 * Open it on the thread whose network namespace holds the interface: the socket, the interface lookup (ioctls on the
 * socket, never /sys) and the binding all belong to that namespace for the socket's whole life, whichever threads use
 * it afterwards. The RX side (capture thread) and the TX side (forwarding thread) share no mutable state.
 */
public final class AfPacketTransport implements PacketTransport
{
    /** How long close() waits for a receive() or flush() already running on another thread to return. */
    private static final long CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private static final VarHandle RX_BUSY;
    private static final VarHandle TX_BUSY;
    private static final VarHandle CLOSED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RX_BUSY = lookup.findVarHandle(AfPacketTransport.class, "rxBusy", boolean.class);
            TX_BUSY = lookup.findVarHandle(AfPacketTransport.class, "txBusy", boolean.class);
            CLOSED = lookup.findVarHandle(AfPacketTransport.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final TransportOptions options;
    private final NetDevice device;
    private final PacketSocket socket;
    private final long ringAddress;
    private final long ringBytes;
    private final boolean qdiscBypassed;
    private final boolean kernelIgnoresOutgoing;
    private final TransportCounters counters;
    private final RxRing rxRing;
    private final RxClock rxClock;
    private final SendBatch sendBatch;

    private volatile boolean rxBusy;
    private volatile boolean txBusy;
    private volatile boolean closed;

    private AfPacketTransport(
        final TransportOptions options,
        final NetDevice device,
        final PacketSocket socket,
        final long ringAddress,
        final boolean qdiscBypassed,
        final boolean kernelIgnoresOutgoing)
    {
        this.options = options;
        this.device = device;
        this.socket = socket;
        this.ringAddress = ringAddress;
        this.ringBytes = options.ringBytes();
        this.qdiscBypassed = qdiscBypassed;
        this.kernelIgnoresOutgoing = kernelIgnoresOutgoing;
        this.counters = new TransportCounters();
        this.rxClock = RxClock.system();
        // The pkttype check stays on even when the kernel filters: it costs one byte read and covers kernels < 4.20.
        this.rxRing = options.rxRingVersion() == TransportOptions.RxRingVersion.V2 ?
            new RxRingV2(ringAddress, options.blockSizeBytes(), options.blockCount(), options.ringFrameSize(),
                options.vnetHeader(), options.ignoreOutgoing(), counters, socket, rxClock) :
            new RxRingV3(ringAddress, options.blockSizeBytes(), options.blockCount(), options.vnetHeader(),
                options.ignoreOutgoing(), counters, socket, rxClock);
        this.sendBatch = new SendBatch(
            socket, options.txBatchSize(), options.vnetHeader() ? VnetHeader.LENGTH : 0, counters);
    }

    /** The flag bits of a fanout mode word (DEFRAG, ROLLOVER, ...), above the mode number. */
    private static final int FANOUT_FLAGS = 0xF000;

    /**
     * Opens a packet socket on {@code options.interfaceName()} in the calling thread's network namespace, with the
     * options' receive filter (if any) attached before the socket is bound.
     *
     * @throws TransportException naming the step, the errno and the usual cause when the socket cannot be set up
     *                            (not root, no such interface, not Ethernet, ring too big...).
     */
    public static AfPacketTransport open(final TransportOptions options)
    {
        final String name = options.interfaceName();
        final int fd = PacketSocket.createPacketSocket();
        if (fd < 0)
        {
            throw failure(name, "socket(AF_PACKET, SOCK_RAW)", -fd, -fd == Errno.EPERM ?
                "opening a packet socket needs CAP_NET_RAW (run as root)" : "");
        }
        final PacketSocket socket = new PacketSocket(fd);
        long ring = 0;
        try
        {
            final NetDevice device = NetDevice.query(socket, name);
            if (!device.isEthernet())
            {
                throw new TransportException("interface '" + name + "' is not Ethernet (ARPHRD " +
                    device.hardwareType() + "): jlvs forwards Ethernet frames only", 0);
            }
            if (options.receiveFilter() != null)
            {
                // Before bind: the socket was made for protocol 0 and sees no frame until then, so none ever
                // enters the ring unfiltered.
                final int attached = socket.attachFilter(options.receiveFilter());
                check(name, "setsockopt(SO_ATTACH_FILTER, " + options.receiveFilter().length() + " instructions)",
                    attached, -attached == Errno.ENOMEM ? "the program is bigger than net.core.optmem_max allows" :
                    "the kernel's classic BPF checker refused the program");
            }
            if (options.vnetHeader())
            {
                check(name, "setsockopt(PACKET_VNET_HDR)",
                    socket.setIntOption(PacketSocket.SOL_PACKET, PacketSocket.PACKET_VNET_HDR, 1), "");
            }
            final boolean v2 = options.rxRingVersion() == TransportOptions.RxRingVersion.V2;
            check(name, "setsockopt(PACKET_VERSION, TPACKET_" + options.rxRingVersion() + ")",
                socket.setIntOption(PacketSocket.SOL_PACKET, PacketSocket.PACKET_VERSION,
                    v2 ? TpacketV2.VERSION : TpacketV3.VERSION),
                v2 ? "" : "the kernel lacks TPACKET_V3 (Linux 3.2+)");
            check(name, "setsockopt(PACKET_RX_RING) " + options.blockCount() + " x " + options.blockSizeBytes() +
                " bytes", socket.setRxRing(options.blockSizeBytes(), options.blockCount(), options.ringFrameSize(),
                options.blockTimeoutMs()), "lower blockCount/blockSizeBytes if memory is short");
            final long mapped = socket.mmap(options.ringBytes());
            if (mapped < 0)
            {
                throw failure(name, "mmap of the RX ring (" + options.ringBytes() + " bytes)", (int)-mapped, "");
            }
            ring = mapped;

            final boolean bypass = options.qdiscBypass() && socket.setIntOption(
                PacketSocket.SOL_PACKET, PacketSocket.PACKET_QDISC_BYPASS, 1) == 0;
            final boolean ignoresOutgoing = options.ignoreOutgoing() && socket.setIntOption(
                PacketSocket.SOL_PACKET, PacketSocket.PACKET_IGNORE_OUTGOING, 1) == 0;
            if (options.sendBufferBytes() > 0 && socket.setIntOption(
                PacketSocket.SOL_SOCKET, PacketSocket.SO_SNDBUFFORCE, options.sendBufferBytes()) < 0)
            {
                // Without CAP_NET_ADMIN the kernel caps the size at net.core.wmem_max: still the best we can get.
                socket.setIntOption(PacketSocket.SOL_SOCKET, PacketSocket.SO_SNDBUF, options.sendBufferBytes());
            }

            check(name, "bind(ifindex " + device.index() + ", ETH_P_ALL)",
                socket.bind(device.index(), PacketSocket.ETH_P_ALL), "");
            if (options.fanoutGroupId() != 0)
            {
                check(name, "setsockopt(PACKET_FANOUT, group " + options.fanoutGroupId() + ")",
                    socket.setIntOption(PacketSocket.SOL_PACKET, PacketSocket.PACKET_FANOUT,
                        options.fanoutGroupId() | (options.fanoutMode() << PacketSocket.FANOUT_MODE_SHIFT)),
                    "every socket of a group must be on the same interface with the same mode");
                if ((options.fanoutMode() & TransportOptions.MAX_FANOUT_MODE & ~FANOUT_FLAGS) ==
                    TransportOptions.FANOUT_BY_CLIENT)
                {
                    check(name, "setsockopt(PACKET_FANOUT_DATA, by-client program)",
                        socket.setFanoutProgram(FanoutByClient.PROGRAM), "the kernel needs PACKET_FANOUT_CBPF (4.3+)");
                }
            }
            return new AfPacketTransport(options, device, socket, ring, bypass, ignoresOutgoing);
        }
        catch (final RuntimeException ex)
        {
            if (ring != 0)
            {
                PacketSocket.munmap(ring, options.ringBytes());
            }
            socket.close();
            throw ex;
        }
    }

    private static void check(final String name, final String call, final int result, final String hint)
    {
        if (result < 0)
        {
            throw failure(name, call, -result, hint);
        }
    }

    private static TransportException failure(final String name, final String call, final int errno, final String hint)
    {
        return new TransportException("AF_PACKET transport on '" + name + "': " + call + " failed: " +
            Errno.name(errno) + (hint.isEmpty() ? "" : " (" + hint + ")"), errno);
    }

    @Override
    public String interfaceName()
    {
        return device.name();
    }

    @Override
    public int interfaceIndex()
    {
        return device.index();
    }

    @Override
    public long macAddress()
    {
        return device.macAddress();
    }

    @Override
    public int ipv4Address()
    {
        return device.ipv4Address();
    }

    @Override
    public int mtu()
    {
        return device.mtu();
    }

    @Override
    public boolean vnetHeader()
    {
        return options.vnetHeader();
    }

    /** The options the transport was opened with. */
    public TransportOptions options()
    {
        return options;
    }

    /** True when the kernel accepted PACKET_QDISC_BYPASS. */
    public boolean qdiscBypassed()
    {
        return qdiscBypassed;
    }

    /** True when the kernel filters this host's transmissions (PACKET_IGNORE_OUTGOING, Linux 4.20+). */
    public boolean kernelIgnoresOutgoing()
    {
        return kernelIgnoresOutgoing;
    }

    @Override
    public int receive(final FrameSink sink, final int limit)
    {
        rxBusy = true;
        try
        {
            if (closed)
            {
                return 0;
            }
            rxClock.refresh(System.nanoTime());
            return rxRing.receive(sink, limit);
        }
        finally
        {
            RX_BUSY.setRelease(this, false);
        }
    }

    /** Sleeps in {@code poll} on the socket: the kernel wakes it as soon as it hands a slot or block over. */
    @Override
    public void awaitFrames(final long maxWaitNs)
    {
        rxBusy = true;
        try
        {
            if (!closed)
            {
                // poll counts in milliseconds: round up, so that a short wait still sleeps rather than spins.
                socket.awaitReadable((int)Math.max(1, Math.min(Integer.MAX_VALUE,
                    (maxWaitNs + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI)));
            }
        }
        finally
        {
            RX_BUSY.setRelease(this, false);
        }
    }

    @Override
    public boolean queue(final long address, final int length)
    {
        return sendBatch.queue(address, length);
    }

    @Override
    public int flush()
    {
        txBusy = true;
        try
        {
            if (closed)
            {
                sendBatch.discard();
                return 0;
            }
            return sendBatch.flush();
        }
        finally
        {
            TX_BUSY.setRelease(this, false);
        }
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * Closes the socket and unmaps the ring; idempotent. A receive() or flush() running on another thread is waited
     * for (up to a second); later calls return 0 without touching the socket. If one is still running after that, the
     * socket and the ring are left open rather than pulled from under it.
     */
    @Override
    public void close()
    {
        if (!CLOSED.compareAndSet(this, false, true))
        {
            return;
        }
        final long deadline = System.nanoTime() + CLOSE_WAIT_NS;
        while ((rxBusy || txBusy) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(CLOSE_POLL_NS);
        }
        if (rxBusy || txBusy)
        {
            // A caller is stuck inside receive()/flush(): leaking the socket beats unmapping memory it reads or
            // letting a reused fd number receive its frames.
            return;
        }
        rxRing.drainStatistics();
        socket.close();
        PacketSocket.munmap(ringAddress, ringBytes);
    }

    @Override
    public String toString()
    {
        return "AfPacketTransport{" + device + ", " + options + ", qdiscBypassed=" + qdiscBypassed +
            ", kernelIgnoresOutgoing=" + kernelIgnoresOutgoing + '}';
    }
}
