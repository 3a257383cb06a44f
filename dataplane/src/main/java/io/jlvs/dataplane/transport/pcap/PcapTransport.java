package io.jlvs.dataplane.transport.pcap;

import com.sun.jna.Platform;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportException;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.afpacket.NetDevice;
import org.agrona.concurrent.UnsafeBuffer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable fallback transport ({@code --io pcap}) on pcap4j and libpcap, for systems where the AF_PACKET
 * transport cannot run.
 * <p>
 * What it does not do, and why it is not the default: pcap4j allocates a byte array per received frame and an
 * exception per refused frame, and each frame is one JNA call each way; it carries no virtio_net_hdr
 * ({@link #vnetHeader()} is false), so a frame with a partial checksum ({@code CHECKSUM_PARTIAL}, which veth and
 * virtio hand over) is received with status 0 and cannot be told apart, and a GSO super-frame larger than the MTU is
 * refused on TX (counted in txErrors). On veth, turn TX checksum offload off on the peers or use AF_PACKET.
 * <p>
 * RX and TX use two libpcap handles on the same interface, so the capture and the forwarding threads never share a
 * {@code pcap_t}; the TX handle's filter matches nothing so that its capture buffer stays empty.
 */
public final class PcapTransport implements PacketTransport
{
    /** libpcap's timeout for delivering a buffer; immediate mode makes frames available at once anyway. */
    private static final int READ_TIMEOUT_MS = 1;
    /** A BPF filter nothing passes: the TX handle never captures. */
    private static final String MATCH_NOTHING = "less 1";
    /** The TX handle captures nothing, so its snap length only has to be valid. */
    private static final int TX_SNAPLEN = 64;
    /** Read libpcap's drop count every this many receive() calls: it is one more JNA call and an allocation. */
    private static final int STATISTICS_EVERY_CALLS = 4096;
    private static final long CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long CLOSE_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int MAC_BYTES = 6;
    private static final int BITS_PER_BYTE = 8;
    private static final int BYTE_MASK = 0xFF;

    private final String interfaceName;
    private final int interfaceIndex;
    private final long macAddress;
    private final int ipv4Address;
    private final int mtu;
    private final PcapHandle rxHandle;
    private final PcapHandle txHandle;
    private final TransportCounters counters = new TransportCounters();

    private final UnsafeBuffer rxView = new UnsafeBuffer(new byte[0]);
    private int receiveCalls;
    private long kernelDropsSeen;

    private final int txBatchSize;
    private final long[] txAddresses;
    private final int[] txLengths;
    private final UnsafeBuffer txView = new UnsafeBuffer(0, 0);
    private final byte[] txFrame = new byte[TransportOptions.MAX_SUPER_FRAME_BYTES];
    private int txQueued;

    private volatile boolean rxBusy;
    private volatile boolean txBusy;
    private volatile boolean closed;

    private PcapTransport(
        final TransportOptions options, final Description description, final PcapHandle rxHandle,
        final PcapHandle txHandle)
    {
        this.interfaceName = options.interfaceName();
        this.interfaceIndex = description.index;
        this.macAddress = description.macAddress;
        this.ipv4Address = description.ipv4Address;
        this.mtu = description.mtu;
        this.rxHandle = rxHandle;
        this.txHandle = txHandle;
        this.txBatchSize = options.txBatchSize();
        this.txAddresses = new long[txBatchSize];
        this.txLengths = new int[txBatchSize];
    }

    /**
     * Opens libpcap on {@code options.interfaceName()} in the calling thread's network namespace. Uses the interface
     * name, txBatchSize and ignoreOutgoing of the options; the ring, offload and fanout settings are AF_PACKET's.
     *
     * @throws TransportException when libpcap is missing or refuses the interface.
     */
    public static PcapTransport open(final TransportOptions options)
    {
        final String name = options.interfaceName();
        final Description description = describe(name);
        PcapHandle rx = null;
        PcapHandle tx = null;
        try
        {
            rx = new PcapHandle.Builder(name)
                .snaplen(PcapFiles.SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MS)
                .immediateMode(true)
                .build();
            if (options.ignoreOutgoing())
            {
                rx.setDirection(PcapHandle.PcapDirection.IN);
            }
            rx.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            tx = new PcapHandle.Builder(name)
                .snaplen(TX_SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MS)
                .build();
            tx.setFilter(MATCH_NOTHING, BpfProgram.BpfCompileMode.OPTIMIZE);
            return new PcapTransport(options, description, rx, tx);
        }
        catch (final PcapNativeException | NotOpenException ex)
        {
            closeQuietly(rx, tx);
            throw new TransportException("pcap transport on '" + name + "': " + ex.getMessage(), ex);
        }
        catch (final LinkageError ex)
        {
            closeQuietly(rx, tx);
            throw new TransportException("pcap transport on '" + name + "': libpcap could not be loaded (" + ex +
                "); install it (Debian: apt-get install libpcap0.8) or use the AF_PACKET transport", ex);
        }
    }

    private static void closeQuietly(final PcapHandle rx, final PcapHandle tx)
    {
        if (rx != null)
        {
            rx.close();
        }
        if (tx != null)
        {
            tx.close();
        }
    }

    /** Index, MAC, IPv4 and MTU: by ioctl on Linux (right in any namespace), through java.net elsewhere. */
    private static Description describe(final String name)
    {
        if (Platform.isLinux())
        {
            final NetDevice device = NetDevice.query(name);
            return new Description(device.index(), device.macAddress(), device.ipv4Address(), device.mtu());
        }
        try
        {
            final NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null)
            {
                throw new TransportException("no interface '" + name + "'", 0);
            }
            long mac = 0;
            final byte[] hardware = nif.getHardwareAddress();
            if (hardware != null && hardware.length == MAC_BYTES)
            {
                for (final byte b : hardware)
                {
                    mac = (mac << BITS_PER_BYTE) | (b & BYTE_MASK);
                }
            }
            int ipv4 = 0;
            for (final Enumeration<InetAddress> addresses = nif.getInetAddresses(); addresses.hasMoreElements(); )
            {
                final InetAddress address = addresses.nextElement();
                if (address instanceof Inet4Address)
                {
                    for (final byte b : address.getAddress())
                    {
                        ipv4 = (ipv4 << BITS_PER_BYTE) | (b & BYTE_MASK);
                    }
                    break;
                }
            }
            return new Description(nif.getIndex(), mac, ipv4, nif.getMTU());
        }
        catch (final SocketException ex)
        {
            throw new TransportException("cannot describe interface '" + name + "': " + ex.getMessage(), ex);
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

    /** Always false: libpcap carries no virtio_net_hdr (see the class comment for what that costs). */
    @Override
    public boolean vnetHeader()
    {
        return false;
    }

    /** Allocates a byte array per frame (pcap4j's getNextRawPacket). */
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
            int handed = 0;
            long bytes = 0;
            while (handed < limit)
            {
                final byte[] frame = rxHandle.getNextRawPacket();
                if (frame == null)
                {
                    break;
                }
                rxView.wrap(frame);
                sink.onFrame(rxView, 0, frame.length, -1, TransportStatus.USER, FrameSink.NO_RX_TIMESTAMP);
                handed++;
                bytes += frame.length;
            }
            if (handed > 0)
            {
                counters.add(TransportCounter.RX_FRAMES, handed);
                counters.add(TransportCounter.RX_BYTES, bytes);
            }
            if (++receiveCalls == STATISTICS_EVERY_CALLS)
            {
                receiveCalls = 0;
                readDrops();
            }
            return handed;
        }
        catch (final NotOpenException ex)
        {
            return 0;
        }
        finally
        {
            rxBusy = false;
        }
    }

    private void readDrops()
    {
        try
        {
            final PcapStat stat = rxHandle.getStats();
            final long drops = stat.getNumPacketsDropped() + stat.getNumPacketsDroppedByIf();
            if (drops > kernelDropsSeen)
            {
                counters.add(TransportCounter.RX_KERNEL_DROPS, drops - kernelDropsSeen);
                kernelDropsSeen = drops;
            }
        }
        catch (final PcapNativeException | NotOpenException ex)
        {
            // Statistics are best effort; the next attempt may succeed.
        }
    }

    @Override
    public boolean queue(final long address, final int length)
    {
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

    /** One pcap_inject per frame (libpcap has no batch send); a refused frame costs pcap4j an exception. */
    @Override
    public int flush()
    {
        final int queued = txQueued;
        txQueued = 0;
        txBusy = true;
        try
        {
            if (queued == 0 || closed)
            {
                return 0;
            }
            int sent = 0;
            long bytes = 0;
            int errors = 0;
            for (int i = 0; i < queued; i++)
            {
                final int length = txLengths[i];
                if (length < 0 || length > txFrame.length)
                {
                    errors++;
                    continue;
                }
                txView.wrap(txAddresses[i], length);
                txView.getBytes(0, txFrame, 0, length);
                try
                {
                    txHandle.sendPacket(txFrame, length);
                    sent++;
                    bytes += length;
                }
                catch (final PcapNativeException | NotOpenException ex)
                {
                    errors++;
                }
            }
            counters.add(TransportCounter.TX_FRAMES, sent);
            counters.add(TransportCounter.TX_BYTES, bytes);
            if (errors > 0)
            {
                counters.add(TransportCounter.TX_ERRORS, errors);
            }
            return sent;
        }
        finally
        {
            txBusy = false;
        }
    }

    @Override
    public TransportCounters counters()
    {
        return counters;
    }

    /** Closes both libpcap handles, after a receive() or flush() running elsewhere returned (up to a second). */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        final long deadline = System.nanoTime() + CLOSE_WAIT_NS;
        while ((rxBusy || txBusy) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(CLOSE_POLL_NS);
        }
        if (rxBusy || txBusy)
        {
            return;
        }
        rxHandle.close();
        txHandle.close();
    }

    @Override
    public String toString()
    {
        return "PcapTransport{" + interfaceName + ", index=" + interfaceIndex + ", mtu=" + mtu + '}';
    }

    private static final class Description
    {
        final int index;
        final long macAddress;
        final int ipv4Address;
        final int mtu;

        Description(final int index, final long macAddress, final int ipv4Address, final int mtu)
        {
            this.index = index;
            this.macAddress = macAddress;
            this.ipv4Address = ipv4Address;
            this.mtu = mtu;
        }
    }
}
