package io.jlvs.cli;

import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.dataplane.transport.pcap.PcapTransport;

/** Opens the packet transport {@code --io} names on the director interface. */
final class Transports
{
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

    /** Opens {@code kind} on {@code interfaceName} in the calling thread's network namespace. */
    static PacketTransport open(final Kind kind, final String interfaceName)
    {
        final TransportOptions options = TransportOptions.of(interfaceName);
        switch (kind)
        {
            case pcap: return PcapTransport.open(options);
            default: return AfPacketTransport.open(options);
        }
    }
}
