package io.jlvs.cli;

import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.dataplane.transport.pcap.PcapTransport;

import java.util.ArrayList;
import java.util.List;

/** Opens the packet transport {@code --io} names on the director interface, one per forwarding worker. */
final class Transports
{
    /**
     * The most forwarding workers {@code --workers} takes: each worker runs a capture and a forwarding thread and
     * maps its own RX ring (16 MiB by default), so 64 workers are 128 busy threads and 1 GiB of rings, already past
     * what one interface's traffic can use; the bound only stops a typo from exhausting the host.
     */
    static final int MAX_WORKERS = 64;

    /** The transports {@code --io} offers. */
    enum Kind
    {
        /** Linux AF_PACKET with a TPACKET_V3 ring: the production transport. */
        afpacket,
        /** pcap4j over libpcap: portable, slower (it allocates per frame). */
        pcap
    }

    private Transports()
    {
    }

    /**
     * Opens {@code kind} on {@code interfaceName} in the calling thread's network namespace, AF_PACKET with the
     * {@code ring} RX ring (pcap has none).
     */
    static PacketTransport open(final Kind kind, final String interfaceName, final TransportOptions.RxRingVersion ring)
    {
        final TransportOptions options = TransportOptions.builder(interfaceName).rxRingVersion(ring).build();
        switch (kind)
        {
            case pcap: return PcapTransport.open(options);
            default: return AfPacketTransport.open(options);
        }
    }

    /**
     * Why {@code workers} forwarding workers cannot run on {@code kind}, or null when they can: more than one needs
     * AF_PACKET's fanout group, which alone splits one interface's frames between sockets by client.
     */
    static String checkWorkers(final int workers, final Kind kind)
    {
        if (workers < 1 || workers > MAX_WORKERS)
        {
            return "--workers must be 1.." + MAX_WORKERS + ", workers=" + workers;
        }
        if (workers > 1 && kind != Kind.afpacket)
        {
            return "--workers " + workers + " needs --io afpacket (a PACKET_FANOUT group splits the interface's " +
                "frames between the workers), io=" + kind;
        }
        return null;
    }

    /**
     * The fanout group id of this process's workers: derived from its pid, so that two jlvs processes in one network
     * namespace (whose group ids the kernel shares) do not join each other's group. 0 means no group, hence the
     * {@code 1 +}.
     */
    static int fanoutGroupId(final long pid)
    {
        return 1 + (int)(pid % TransportOptions.MAX_FANOUT_GROUP_ID);
    }

    /**
     * Opens one transport per forwarding worker on {@code interfaceName}, in the calling thread's network namespace:
     * one plain transport for one worker, else AF_PACKET sockets in fanout group {@code fanoutGroupId} that pick the
     * worker by client address. They are opened in worker order because the first socket to join the group is the
     * one that gets ARP, which worker 0 answers. On failure the ones already open are closed.
     *
     * @throws IllegalArgumentException when {@link #checkWorkers} refuses {@code workers} on {@code kind}.
     */
    static List<PacketTransport> openWorkers(
        final Kind kind, final String interfaceName, final int workers, final int fanoutGroupId)
    {
        return openWorkers(kind, interfaceName, workers, fanoutGroupId, TransportOptions.RxRingVersion.V3);
    }

    /** As {@link #openWorkers(Kind, String, int, int)}, the AF_PACKET sockets with the {@code ring} RX ring. */
    static List<PacketTransport> openWorkers(
        final Kind kind, final String interfaceName, final int workers, final int fanoutGroupId,
        final TransportOptions.RxRingVersion ring)
    {
        final String refused = checkWorkers(workers, kind);
        if (refused != null)
        {
            throw new IllegalArgumentException(refused);
        }
        if (workers == 1)
        {
            return List.of(open(kind, interfaceName, ring));
        }
        final TransportOptions options = TransportOptions.builder(interfaceName).rxRingVersion(ring)
            .fanoutGroupId(fanoutGroupId).fanoutMode(TransportOptions.FANOUT_BY_CLIENT).build();
        final List<PacketTransport> transports = new ArrayList<>(workers);
        try
        {
            for (int w = 0; w < workers; w++)
            {
                transports.add(AfPacketTransport.open(options));
            }
            return List.copyOf(transports);
        }
        catch (final RuntimeException | Error ex)
        {
            closeAll(transports);
            throw ex;
        }
    }

    /** Closes every transport of {@code transports}, the others too when one fails to close. */
    static void closeAll(final List<PacketTransport> transports)
    {
        RuntimeException first = null;
        for (final PacketTransport transport : transports)
        {
            try
            {
                transport.close();
            }
            catch (final RuntimeException ex)
            {
                if (first == null)
                {
                    first = ex;
                }
                else
                {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null)
        {
            throw first;
        }
    }
}
