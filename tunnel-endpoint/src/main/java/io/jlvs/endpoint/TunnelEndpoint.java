package io.jlvs.endpoint;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real-server side of TUN mode for a kernel without the {@code ipip} module: receives the IPIP packets addressed
 * to this host ({@link RawIpipSocket}), checks and unwraps them ({@link IpipDecapsulator}) and writes the inner packet
 * to a TUN device ({@link TunDevice}), where the kernel receives it as if it came off a wire; the local server then
 * answers the client directly, from the VIP.
 * <p>
 * Namespaces: {@link #open} creates its sockets and the TUN device in the calling thread's network namespace, and
 * {@link #checkHost()} reads the calling thread's namespace; after that, {@link #run} or {@link #doWork} may run on
 * any thread. Threading: one thread runs the loop ({@link #run} or repeated {@link #doWork}); {@link #counters()} may
 * be read from any thread; {@link #close()} from any thread stops a running {@link #run} first.
 * <p>
 * The CLI wires it as {@code bin/jlvs tunnel-endpoint --interface IF [--vip VIP]... [--tun-name NAME] [--strict]}:
 * open, print {@link #checkHost()}'s lines, stop unless {@link #mayRun} ({@code --strict} with a problem), then
 * {@link #run} until SIGTERM clears the flag, then {@link #close()}.
 */
public final class TunnelEndpoint implements AutoCloseable
{
    /** Bounds how long {@link #run} takes to notice a cleared flag or {@link #close()}: the poll(2) timeout. */
    static final int POLL_TIMEOUT_MS = 100;

    private final EndpointOptions options;
    private final TunDevice tun;
    private final RawIpipSocket socket;
    private final IpipDecapsulator decapsulator;
    private final EndpointCounters counters = new EndpointCounters();
    private final UnsafeBuffer slots;
    private final long slotsAddress;
    private final Object lifecycle = new Object();
    private volatile boolean closeRequested;
    /** Guarded by {@link #lifecycle}. */
    private boolean loopActive;
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;

    private TunnelEndpoint(final EndpointOptions options, final TunDevice tun, final RawIpipSocket socket)
    {
        this.options = options;
        this.tun = tun;
        this.socket = socket;
        this.decapsulator = new IpipDecapsulator(options.vips());
        this.slots = socket.slots();
        this.slotsAddress = slots.addressOffset();
    }

    /**
     * Creates the TUN device (up, with rp_filter 0: the device is the endpoint's own and goes away with it) and the
     * IPIP socket, in the calling thread's network namespace.
     *
     * @throws EndpointException saying what failed and what to do (needs root or CAP_NET_ADMIN + CAP_NET_RAW).
     */
    public static TunnelEndpoint open(final EndpointOptions options)
    {
        final TunDevice tun = TunDevice.open(options.tunName());
        try
        {
            // the inner packet's source is the client, routed via another interface: strict rp_filter would drop
            // it; if this write fails, checkHost() says so
            LiveHostFacts.writeIpv4Conf(tun.name(), HostCheck.RP_FILTER, 0);
            final RawIpipSocket socket = RawIpipSocket.open(
                options.interfaceName(), options.batchSize(), options.receiveSlotBytes());
            return new TunnelEndpoint(options, tun, socket);
        }
        catch (final RuntimeException ex)
        {
            tun.close();
            throw ex;
        }
    }

    public EndpointOptions options()
    {
        return options;
    }

    /** The TUN device's name (the requested one, or the kernel's pick for a {@code %d} pattern). */
    public String tunName()
    {
        return tun.name();
    }

    /** Checks the calling thread's namespace for what the real server needs; see {@link HostCheck}. */
    public HostReport checkHost()
    {
        return checkHost(HostFacts.live());
    }

    /** Checks the host described by {@code facts}. */
    public HostReport checkHost(final HostFacts facts)
    {
        return HostCheck.check(facts, options, tun.name());
    }

    /**
     * Whether the endpoint may go on running with this host: always, unless the options are strict and
     * {@code report} has a problem. The command prints the report's lines either way.
     */
    public boolean mayRun(final HostReport report)
    {
        return !options.strict() || !report.hasProblems();
    }

    public EndpointCounters counters()
    {
        return counters;
    }

    /**
     * One duty cycle: receives up to a batch without waiting and delivers or drops each packet. Allocates nothing.
     *
     * @return how many packets were handled (0 when none was waiting).
     */
    public int doWork()
    {
        final int received = socket.receive();
        if (received <= 0)
        {
            if (received < 0 && -received != Errno.EINTR)
            {
                counters.increment(EndpointCounter.RX_ERRORS);
            }
            return 0;
        }
        counters.add(EndpointCounter.RX_PACKETS, received);
        long bytes = 0;
        for (int i = 0; i < received; i++)
        {
            final int length = socket.length(i);
            bytes += length;
            final EndpointCounter verdict = socket.truncated(i) ?
                EndpointCounter.DROP_RX_TRUNCATED :
                decapsulator.decapsulate(slots, socket.slotOffset(i), length);
            counters.increment(verdict == EndpointCounter.DELIVERED ? deliver() : verdict);
        }
        counters.add(EndpointCounter.RX_BYTES, bytes);
        return received;
    }

    /**
     * Runs {@link #doWork()} until {@code running} is cleared or {@link #close()} is called, waiting in poll(2) when
     * idle (so an idle endpoint costs no CPU). Returns within {@link #POLL_TIMEOUT_MS} of either.
     *
     * @throws IllegalStateException when closed or already running.
     */
    public void run(final AtomicBoolean running)
    {
        synchronized (lifecycle)
        {
            if (closed || closeRequested)
            {
                throw new IllegalStateException("tunnel endpoint " + tun.name() + " is closed");
            }
            if (loopActive)
            {
                throw new IllegalStateException("tunnel endpoint " + tun.name() + " is already running");
            }
            loopActive = true;
        }
        try
        {
            while (running.get() && !closeRequested)
            {
                if (doWork() == 0)
                {
                    socket.awaitReadable(POLL_TIMEOUT_MS);
                }
            }
        }
        finally
        {
            synchronized (lifecycle)
            {
                loopActive = false;
                lifecycle.notifyAll();
            }
        }
    }

    /**
     * Stops a running {@link #run} (waiting for it to return), closes the IPIP socket, which lets the kernel answer
     * IPIP with ICMP again, and the TUN device, which removes it. Idempotent.
     */
    @Override
    public void close()
    {
        closeRequested = true;
        boolean interrupted = false;
        synchronized (lifecycle)
        {
            while (loopActive)
            {
                try
                {
                    lifecycle.wait(POLL_TIMEOUT_MS);
                }
                catch (final InterruptedException ex)
                {
                    // the loop still holds the descriptors: keep waiting (it returns within one poll timeout)
                    interrupted = true;
                }
            }
            if (closed)
            {
                return;
            }
            closed = true;
        }
        try
        {
            socket.close();
        }
        finally
        {
            tun.close();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the inner packet of the last {@link EndpointCounter#DELIVERED} verdict to the TUN device, preceded by
     * its virtio_net_hdr, which is written over the end of the outer header (the inner packet starts at least 20
     * bytes into the slot), so the packet goes out in one write without a copy.
     */
    private EndpointCounter deliver()
    {
        final int inner = decapsulator.innerOffset();
        final int length = decapsulator.innerLength();
        final int header = inner - VirtioNetHeader.LENGTH;
        final int checksumField = decapsulator.checksumFieldOffset();
        slots.setMemory(header, VirtioNetHeader.LENGTH, (byte)0);
        if (checksumField >= 0)
        {
            // as veth would have handed it over: the kernel trusts a CHECKSUM_PARTIAL packet on local delivery
            slots.putByte(header + VirtioNetHeader.FLAGS_OFFSET, (byte)VirtioNetHeader.F_NEEDS_CSUM);
            slots.putShort(header + VirtioNetHeader.CSUM_START_OFFSET,
                (short)decapsulator.innerHeaderLength(), ByteOrder.nativeOrder());
            slots.putShort(header + VirtioNetHeader.CSUM_OFFSET_OFFSET, (short)checksumField, ByteOrder.nativeOrder());
        }
        final int total = VirtioNetHeader.LENGTH + length;
        if (tun.write(slotsAddress + header, total) != total)
        {
            return EndpointCounter.DROP_TUN_WRITE;
        }
        if (checksumField >= 0)
        {
            counters.increment(EndpointCounter.PARTIAL_CHECKSUMS);
        }
        counters.add(EndpointCounter.DELIVERED_BYTES, length);
        return EndpointCounter.DELIVERED;
    }
}
