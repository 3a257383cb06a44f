package io.jlvs.dataplane.transport;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A sink for tests: copies the frames a filter accepts (they are only valid during the call) and counts the rest. */
public final class Capture implements FrameSink
{
    /** How long a test waits for frames it expects before it gives up (a bound, not a timing assertion). */
    public static final long PATIENCE_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int RECEIVE_LIMIT = 256;

    /** A frame as the sink got it. */
    public static final class Frame
    {
        public final byte[] bytes;
        /** The virtio_net_hdr, or null when the transport carries none. */
        public final byte[] vnetHeader;
        public final int status;
        /** When the kernel received it (nanoTime domain), or {@link FrameSink#NO_RX_TIMESTAMP}. */
        public final long rxNs;
        /** When the sink got it (nanoTime). */
        public final long seenNs;

        Frame(final byte[] bytes, final byte[] vnetHeader, final int status, final long rxNs)
        {
            this.bytes = bytes;
            this.vnetHeader = vnetHeader;
            this.status = status;
            this.rxNs = rxNs;
            this.seenNs = System.nanoTime();
        }
    }

    /** Decides which frames to keep. */
    @FunctionalInterface
    public interface Filter
    {
        boolean accept(DirectBuffer buffer, int offset, int length);
    }

    private final Filter filter;
    private final List<Frame> frames = new ArrayList<>();
    private int others;

    public Capture(final Filter filter)
    {
        this.filter = filter;
    }

    @Override
    public void onFrame(
        final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset, final int status,
        final long rxNs)
    {
        if (!filter.accept(buffer, frameOffset, frameLength))
        {
            others++;
            return;
        }
        final byte[] bytes = new byte[frameLength];
        buffer.getBytes(frameOffset, bytes);
        byte[] header = null;
        if (vnetOffset >= 0)
        {
            header = new byte[VnetHeader.LENGTH];
            buffer.getBytes(vnetOffset, header);
        }
        frames.add(new Frame(bytes, header, status, rxNs));
    }

    public List<Frame> frames()
    {
        return frames;
    }

    /** Frames the filter turned away. */
    public int others()
    {
        return others;
    }

    /** Receives from {@code transport} until {@code count} frames were kept or {@link #PATIENCE_NS} passed. */
    public List<Frame> awaitFrames(final PacketTransport transport, final int count)
    {
        final long deadline = System.nanoTime() + PATIENCE_NS;
        while (frames.size() < count && System.nanoTime() < deadline)
        {
            if (transport.receive(this, RECEIVE_LIMIT) == 0)
            {
                LockSupport.parkNanos(POLL_PAUSE_NS);
            }
        }
        return frames;
    }

    /** Receives whatever {@code transport} holds until it has been idle for {@code quietNs} (bounded overall). */
    public List<Frame> drain(final PacketTransport transport, final long quietNs)
    {
        final long deadline = System.nanoTime() + PATIENCE_NS;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quietNs && System.nanoTime() < deadline)
        {
            if (transport.receive(this, RECEIVE_LIMIT) > 0)
            {
                quietSince = System.nanoTime();
            }
            else
            {
                LockSupport.parkNanos(POLL_PAUSE_NS);
            }
        }
        return frames;
    }
}
