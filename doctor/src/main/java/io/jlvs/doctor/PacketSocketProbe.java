package io.jlvs.doctor;

/**
 * Tries what jlvs needs from the kernel on the director interface: an AF_PACKET socket with an mmap'd TPACKET_V3
 * ring. The application supplies it (the doctor does not depend on the dataplane); see
 * {@link HostView#packetSocketProbe(String)} for what it returns.
 */
@FunctionalInterface
public interface PacketSocketProbe
{
    Reading probe(String interfaceName);
}
