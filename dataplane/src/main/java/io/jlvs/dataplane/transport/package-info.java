/**
 * Where a frame enters and leaves the director: {@link io.jlvs.dataplane.transport.PacketTransport} is one
 * interface's frames in (a bounded, non-blocking {@code receive} into a {@link io.jlvs.dataplane.transport.FrameSink})
 * and out (zero-copy {@code queue} of native memory, one {@code flush} per batch).
 * <p>
 * Implementations: {@code afpacket} (Linux AF_PACKET, TPACKET_V3 RX ring and {@code sendmmsg}, the production
 * transport), {@code pcap} (pcap4j, a portable fallback that allocates per frame) and
 * {@link io.jlvs.dataplane.transport.MemoryTransport} (in-process, for tests of the pipeline). The receive side and the
 * transmit side of one transport share no mutable state, so a capture thread and a forwarding thread can use them at
 * once. Per-frame paths allocate nothing, lock nothing, log nothing and throw nothing; what goes wrong is counted in
 * {@link io.jlvs.dataplane.transport.TransportCounters}.
 */
package io.jlvs.dataplane.transport;
