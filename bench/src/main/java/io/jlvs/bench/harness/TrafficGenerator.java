package io.jlvs.bench.harness;

import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.NetworkNamespace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * jlvs's own packet blaster: an {@link AfPacketTransport} opened in the client's namespace and a thread that sends
 * prebuilt {@link GeneratorFrames} with {@code sendmmsg} batches as fast as the kernel takes them, until a deadline.
 * <p>
 * The socket has no virtio_net_hdr (the frames carry whole checksums, there is nothing to offload) and bypasses the
 * qdisc. What the kernel accepted is the transport's {@code txFrames}: those frames left the generator; where they
 * were lost afterwards (a CPU's backlog, the director's ring, the director) is what the harness measures.
 */
final class TrafficGenerator implements AutoCloseable
{
    /** Frames per sendmmsg: one kernel crossing per 256 frames keeps the syscall a few ns per frame. */
    private static final int TX_BATCH = 256;
    /**
     * A paced generator sends a batch every 100 µs or so (7 frames at 70 000 pps): traffic from many clients arrives
     * spread out, and a millisecond's frames sent as one burst made the last of them wait for the others, which
     * measured the burst rather than the director.
     */
    private static final long PACED_BATCHES_PER_SECOND = 10_000;
    /** The generator receives nothing it needs; the transport insists on a ring, so make it the smallest. */
    private static final int RX_BLOCKS = 1;
    /** Prime SYNs go out in small, spaced batches: a burst could overrun a CPU backlog and lose a flow's SYN. */
    private static final int PRIME_BATCH = 32;
    private static final long PRIME_GAP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The prime SYNs go twice: a second SYN of a half-open connection is a retransmission, harmless. */
    private static final int PRIME_ROUNDS = 2;
    /** Beyond its deadline the thread only finishes one batch; this bounds the wait for it. */
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(5);

    private final AfPacketTransport transport;
    private volatile boolean stopRequested;
    private Thread thread;
    private volatile Throwable failure;

    private TrafficGenerator(final AfPacketTransport transport)
    {
        this.transport = transport;
    }

    /** Opens the packet socket on {@code interfaceName} inside {@code namespace} (it stays there). */
    static TrafficGenerator open(final String namespace, final String interfaceName) throws Exception
    {
        final TransportOptions options = TransportOptions.builder(interfaceName)
            .vnetHeader(false)
            .qdiscBypass(true)
            .blockSizeBytes(TransportOptions.MIN_BLOCK_SIZE_BYTES)
            .blockCount(RX_BLOCKS)
            .txBatchSize(TX_BATCH)
            .build();
        return new TrafficGenerator(NetworkNamespace.call(namespace, () -> AfPacketTransport.open(options)));
    }

    /** The generator's MAC: the source of every frame (the bridge learns it there). */
    long macAddress()
    {
        return transport.macAddress();
    }

    /** Frames the kernel accepted so far, from any thread. */
    long sent()
    {
        return transport.counters().txFrames();
    }

    TransportCounters counters()
    {
        return transport.counters();
    }

    /**
     * Starts sending on a new thread: {@code prime} (may be null) in spaced batches, then {@code steady} round and
     * round, until {@link #stop()} or {@code durationNs} from now, whichever comes first.
     */
    synchronized void start(final GeneratorFrames prime, final GeneratorFrames steady, final long durationNs)
    {
        start(prime, steady, durationNs, 0);
    }

    /** As {@link #start(GeneratorFrames, GeneratorFrames, long)}, sending at most {@code ratePps} (0: no limit). */
    synchronized void start(
        final GeneratorFrames prime, final GeneratorFrames steady, final long durationNs, final long ratePps)
    {
        if (thread != null)
        {
            throw new IllegalStateException("the generator is already running");
        }
        stopRequested = false;
        failure = null;
        final long deadlineNs = System.nanoTime() + durationNs;
        thread = new Thread(() -> run(prime, steady, deadlineNs, ratePps), "jlvs-bench-generator");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the sending thread and waits for it. */
    synchronized void stop() throws InterruptedException
    {
        if (thread == null)
        {
            return;
        }
        stopRequested = true;
        thread.join(JOIN_TIMEOUT_MS);
        if (thread.isAlive())
        {
            throw new IllegalStateException("the generator thread did not stop within " + JOIN_TIMEOUT_MS + " ms");
        }
        thread = null;
        if (failure != null)
        {
            throw new IllegalStateException("the generator failed: " + failure, failure);
        }
    }

    private void run(final GeneratorFrames prime, final GeneratorFrames steady, final long deadlineNs, final long ratePps)
    {
        try
        {
            if (prime != null)
            {
                sendPrime(prime, deadlineNs);
            }
            blast(steady, deadlineNs, ratePps);
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
        }
    }

    private void sendPrime(final GeneratorFrames prime, final long deadlineNs)
    {
        for (int round = 0; round < PRIME_ROUNDS; round++)
        {
            for (int first = 0; first < prime.count(); first += PRIME_BATCH)
            {
                if (stopRequested || System.nanoTime() - deadlineNs >= 0)
                {
                    return;
                }
                final int end = Math.min(prime.count(), first + PRIME_BATCH);
                for (int i = first; i < end; i++)
                {
                    transport.queue(prime.address(i), prime.length(i));
                }
                transport.flush();
                LockSupport.parkNanos(PRIME_GAP_NS);
            }
        }
    }

    /**
     * One batch per turn, never across the end of the frames: a pass may rewrite them, and queued ones are read.
     * With a rate, batches are sized to a tenth of a millisecond's worth and released on a schedule, so the offered
     * load is steady rather than bursts at line rate.
     */
    private void blast(final GeneratorFrames frames, final long deadlineNs, final long ratePps)
    {
        final int count = frames.count();
        final int batch = ratePps <= 0 ? TX_BATCH :
            (int)Math.max(1, Math.min(TX_BATCH, ratePps / PACED_BATCHES_PER_SECOND));
        final long batchIntervalNs = ratePps <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * batch / ratePps;
        long nextSendNs = System.nanoTime();
        int next = 0;
        while (!stopRequested && System.nanoTime() - deadlineNs < 0)
        {
            if (batchIntervalNs > 0)
            {
                final long waitNs = nextSendNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                nextSendNs += batchIntervalNs;
            }
            final int end = Math.min(count, next + batch);
            for (int i = next; i < end; i++)
            {
                transport.queue(frames.address(i), frames.length(i));
            }
            transport.flush();
            next = end;
            if (next == count)
            {
                next = 0;
                if (frames.readdressEachPass())
                {
                    frames.readdressNextPass();
                }
            }
        }
    }

    @Override
    public void close()
    {
        try
        {
            stop();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            transport.close();
        }
    }
}
