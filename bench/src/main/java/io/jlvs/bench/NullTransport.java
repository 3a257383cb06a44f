package io.jlvs.bench;

import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportCounter;
import io.jlvs.dataplane.transport.TransportCounters;
import io.jlvs.dataplane.transport.TransportOptions;

/**
 * A transport that receives nothing and drops what is queued at flush, counting it: the cheapest possible TX, so
 * that a benchmark of the forwarding path measures the path and not a transport. (MemoryTransport copies every
 * flushed frame into a Java array for tests to read, which allocates.)
 */
final class NullTransport implements PacketTransport
{
    private static final int MTU = 1500;

    private final long macAddress;
    private final int ipv4Address;
    private final TransportCounters counters = new TransportCounters();
    private final int batchSize = TransportOptions.DEFAULT_TX_BATCH_SIZE;
    private int queued;
    private long flushedFrames;

    NullTransport(final long macAddress, final int ipv4Address)
    {
        this.macAddress = macAddress;
        this.ipv4Address = ipv4Address;
    }

    /** Frames queued and flushed so far (forwarding thread; read it after that thread stopped). */
    long flushedFrames()
    {
        return flushedFrames;
    }

    @Override
    public String interfaceName()
    {
        return "null0";
    }

    @Override
    public int interfaceIndex()
    {
        return 1;
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
        return MTU;
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
        // Bounded like a real TX batch, so that the handler's flush-and-retry path behaves as it would on AF_PACKET.
        if (queued == batchSize)
        {
            counters.increment(TransportCounter.TX_DROPPED_BATCH_FULL);
            return false;
        }
        queued++;
        return true;
    }

    @Override
    public int flush()
    {
        final int sent = queued;
        queued = 0;
        flushedFrames += sent;
        return sent;
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
