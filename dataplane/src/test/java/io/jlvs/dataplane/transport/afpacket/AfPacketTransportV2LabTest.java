package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.TransportOptions;

/**
 * Every case of {@link AfPacketTransportLabTest} with the TPACKET_V2 ring: frames in order, partial checksums with
 * their virtio-net header, whole GSO super-frames in a slot, fanout, kernel drops on a full ring.
 */
class AfPacketTransportV2LabTest extends AfPacketTransportLabTest
{
    @Override
    TransportOptions.RxRingVersion rxRingVersion()
    {
        return TransportOptions.RxRingVersion.V2;
    }
}
