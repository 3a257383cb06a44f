package io.jlvs.dataplane.transport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An in-process transport for tests of the pipeline: a test {@link #inject}s frames that {@link #receive} hands to
 * the sink exactly as a kernel ring would (in native memory, with a virtio_net_hdr in front when
 * {@link #vnetHeader()}), and {@link #sent()} returns what was flushed.
 * <p>
 * The per-frame paths ({@code receive}, {@code queue}) allocate nothing, like the real transports; {@code inject}
 * and {@code flush} copy into Java arrays for the test to read. {@code flush} reads the queued bytes only when it
 * runs, so a pipeline that changes a frame between queue() and flush() is caught.
 */
public final class MemoryTransport implements PacketTransport
{
    /** Where a frame starts in the RX buffer: like a ring slot, room for headers and the virtio_net_hdr before it. */
    private static final int RX_FRAME_OFFSET = 128;
    private static final int CACHE_LINE_BYTES = 64;
    private static final byte[] NO_OFFLOAD_HEADER = new byte[VnetHeader.LENGTH];

    private final String interfaceName;
    private final int interfaceIndex;
    private final long macAddress;
    private final int ipv4Address;
    private final int mtu;
    private final boolean vnetHeader;
    private final int txBatchSize;
    private final TransportCounters counters = new TransportCounters();

    private final Queue<Injected> rxQueue = new ConcurrentLinkedQueue<>();
    private final UnsafeBuffer rxBuffer;

    private final long[] txAddresses;
    private final int[] txLengths;
    private final UnsafeBuffer txView = new UnsafeBuffer(0, 0);
    private int txQueued;
    private int refuseNext;
    private final List<byte[]> sentRaw = new ArrayList<>();
    private int flushes;
    private volatile boolean closed;

    private MemoryTransport(final Builder builder)
    {
        this.interfaceName = builder.interfaceName;
        this.interfaceIndex = builder.interfaceIndex;
        this.macAddress = builder.macAddress;
        this.ipv4Address = builder.ipv4Address;
        this.mtu = builder.mtu;
        this.vnetHeader = builder.vnetHeader;
        this.txBatchSize = builder.txBatchSize;
        this.rxBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            RX_FRAME_OFFSET + TransportOptions.MAX_SUPER_FRAME_BYTES + CACHE_LINE_BYTES, CACHE_LINE_BYTES));
        this.txAddresses = new long[txBatchSize];
        this.txLengths = new int[txBatchSize];
    }

    /** A builder with interface {@code mem0}, index 1, MTU 1500, a virtio_net_hdr and batches of 64. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Makes {@code frame} (an Ethernet frame) the next frame receive() hands up, with {@code status} bits
     * ({@link TransportStatus}); with {@link #vnetHeader()} it carries a header that asks for no offload.
     */
    public void inject(final byte[] frame, final int status)
    {
        inject(vnetHeader ? NO_OFFLOAD_HEADER : null, frame, status);
    }

    /**
     * Makes {@code frame} the next frame receive() hands up, with the {@link VnetHeader#LENGTH}-byte
     * {@code vnetHeader} before it (a partial checksum, a GSO super-frame); only for transports with
     * {@link #vnetHeader()}.
     */
    public void inject(final byte[] vnetHeader, final byte[] frame, final int status)
    {
        Objects.requireNonNull(frame, "frame");
        if (vnetHeader == null && this.vnetHeader)
        {
            throw new IllegalArgumentException("this transport carries a virtio_net_hdr, inject one");
        }
        if (vnetHeader != null && (!this.vnetHeader || vnetHeader.length != VnetHeader.LENGTH))
        {
            throw new IllegalArgumentException("a virtio_net_hdr is " + VnetHeader.LENGTH +
                " bytes on a transport with vnetHeader()=true, vnetHeader()=" + this.vnetHeader +
                ", length=" + vnetHeader.length);
        }
        if (frame.length > TransportOptions.MAX_SUPER_FRAME_BYTES)
        {
            throw new IllegalArgumentException("frame must be at most " + TransportOptions.MAX_SUPER_FRAME_BYTES +
                " bytes, length=" + frame.length);
        }
        rxQueue.add(new Injected(vnetHeader == null ? null : vnetHeader.clone(), frame.clone(), status));
    }

    /** Frames injected and not yet received. */
    public int pendingReceive()
    {
        return rxQueue.size();
    }

    /** The Ethernet frames flushed so far, in order, without their virtio_net_hdr; a copy. */
    public List<byte[]> sent()
    {
        synchronized (sentRaw)
        {
            final List<byte[]> frames = new ArrayList<>(sentRaw.size());
            final int skip = vnetHeader ? VnetHeader.LENGTH : 0;
            for (final byte[] raw : sentRaw)
            {
                final byte[] frame = new byte[Math.max(0, raw.length - skip)];
                System.arraycopy(raw, Math.min(skip, raw.length), frame, 0, frame.length);
                frames.add(frame);
            }
            return frames;
        }
    }

    /** The bytes flushed so far exactly as queued (with the virtio_net_hdr when {@link #vnetHeader()}); a copy. */
    public List<byte[]> sentRaw()
    {
        synchronized (sentRaw)
        {
            final List<byte[]> frames = new ArrayList<>(sentRaw.size());
            for (final byte[] raw : sentRaw)
            {
                frames.add(raw.clone());
            }
            return frames;
        }
    }

    /** Forgets the frames flushed so far. */
    public void clearSent()
    {
        synchronized (sentRaw)
        {
            sentRaw.clear();
        }
    }

    /** How many flush() calls sent at least one frame (a pipeline should flush once per batch, not per frame). */
    public int flushes()
    {
        synchronized (sentRaw)
        {
            return flushes;
        }
    }

    /** Makes the kernel refuse the next {@code frames} frames flushed (they count as txErrors), to test failures. */
    public void refuseNext(final int frames)
    {
        if (frames < 0)
        {
            throw new IllegalArgumentException("frames must be >= 0, frames=" + frames);
        }
        synchronized (sentRaw)
        {
            refuseNext = frames;
        }
    }

    @Override
    public String interfaceName()
    {
        return interfaceName;
    }

    @Override
    public int interfaceIndex()
    {
        return interfaceIndex;
    }

    @Override
    public long macAddress()
    {
        return macAddress;
    }

    @Override
    public int ipv4Address()
    {
        return ipv4Address;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }

    @Override
    public boolean vnetHeader()
    {
        return vnetHeader;
    }

    @Override
    public int receive(final FrameSink sink, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        int received = 0;
        long bytes = 0;
        while (received < limit)
        {
            final Injected injected = rxQueue.poll();
            if (injected == null)
            {
                break;
            }
            final int vnetOffset = injected.vnetHeader == null ? -1 : RX_FRAME_OFFSET - VnetHeader.LENGTH;
            if (vnetOffset >= 0)
            {
                rxBuffer.putBytes(vnetOffset, injected.vnetHeader);
            }
            rxBuffer.putBytes(RX_FRAME_OFFSET, injected.frame);
            sink.onFrame(rxBuffer, RX_FRAME_OFFSET, injected.frame.length, vnetOffset, injected.status,
                FrameSink.NO_RX_TIMESTAMP);
            received++;
            bytes += injected.frame.length;
        }
        if (received > 0)
        {
            counters.add(TransportCounter.RX_FRAMES, received);
            counters.add(TransportCounter.RX_BYTES, bytes);
        }
        return received;
    }

    @Override
    public boolean queue(final long address, final int length)
    {
        if (closed)
        {
            return false;
        }
        if (txQueued == txBatchSize)
        {
            counters.increment(TransportCounter.TX_DROPPED_BATCH_FULL);
            return false;
        }
        txAddresses[txQueued] = address;
        txLengths[txQueued] = length;
        txQueued++;
        return true;
    }

    @Override
    public int flush()
    {
        final int queued = txQueued;
        txQueued = 0;
        if (queued == 0)
        {
            return 0;
        }
        int accepted = 0;
        long bytes = 0;
        synchronized (sentRaw)
        {
            flushes++;
            for (int i = 0; i < queued; i++)
            {
                if (refuseNext > 0)
                {
                    refuseNext--;
                    counters.increment(TransportCounter.TX_ERRORS);
                    continue;
                }
                final byte[] raw = new byte[txLengths[i]];
                txView.wrap(txAddresses[i], txLengths[i]);
                txView.getBytes(0, raw);
                sentRaw.add(raw);
                accepted++;
                bytes += vnetHeader ? Math.max(0, raw.length - VnetHeader.LENGTH) : raw.length;
            }
        }
        counters.add(TransportCounter.TX_FRAMES, accepted);
        counters.add(TransportCounter.TX_BYTES, bytes);
        return accepted;
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public String toString()
    {
        return "MemoryTransport{" + interfaceName + ", vnetHeader=" + vnetHeader + ", pending=" + rxQueue.size() + '}';
    }

    private static final class Injected
    {
        final byte[] vnetHeader;
        final byte[] frame;
        final int status;

        Injected(final byte[] vnetHeader, final byte[] frame, final int status)
        {
            this.vnetHeader = vnetHeader;
            this.frame = frame;
            this.status = status;
        }
    }

    /** Builds a {@link MemoryTransport}. */
    public static final class Builder
    {
        private static final int DEFAULT_MTU = 1500;

        private String interfaceName = "mem0";
        private int interfaceIndex = 1;
        private long macAddress = 0x02_00_00_00_00_01L;
        private int ipv4Address;
        private int mtu = DEFAULT_MTU;
        private boolean vnetHeader = true;
        private int txBatchSize = TransportOptions.DEFAULT_TX_BATCH_SIZE;

        private Builder()
        {
        }

        public Builder interfaceName(final String interfaceName)
        {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            return this;
        }

        public Builder interfaceIndex(final int interfaceIndex)
        {
            this.interfaceIndex = interfaceIndex;
            return this;
        }

        /** 48 bits, first byte in bits 40..47. */
        public Builder macAddress(final long macAddress)
        {
            if ((macAddress >>> 48) != 0)
            {
                throw new IllegalArgumentException("macAddress must fit 48 bits, macAddress=0x" +
                    Long.toHexString(macAddress));
            }
            this.macAddress = macAddress;
            return this;
        }

        /** Host byte order. */
        public Builder ipv4Address(final int ipv4Address)
        {
            this.ipv4Address = ipv4Address;
            return this;
        }

        public Builder mtu(final int mtu)
        {
            if (mtu <= 0)
            {
                throw new IllegalArgumentException("mtu must be > 0, mtu=" + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        public Builder vnetHeader(final boolean vnetHeader)
        {
            this.vnetHeader = vnetHeader;
            return this;
        }

        public Builder txBatchSize(final int txBatchSize)
        {
            if (txBatchSize < 1)
            {
                throw new IllegalArgumentException("txBatchSize must be >= 1, txBatchSize=" + txBatchSize);
            }
            this.txBatchSize = txBatchSize;
            return this;
        }

        public MemoryTransport build()
        {
            return new MemoryTransport(this);
        }
    }
}
