/**
 * The Linux AF_PACKET transport: one packet socket bound to one interface, a TPACKET_V3 (or V2) RX ring mapped into
 * the process and read in place, and {@code sendmmsg} batches for TX, with virtio_net_hdr offload metadata both ways.
 * <p>
 * Native code is thin and lives only here: {@code LibC} binds the system calls (JNA direct mapping, primitive
 * arguments only, so a call allocates nothing), {@code PacketSocket} wraps them and returns {@code -errno} for the
 * expected failures instead of throwing. The struct layouts ({@code TpacketV3}, {@code TpacketV2}, {@code MsgHdr}, {@code IfReq}) are
 * the same on x86-64 and aarch64 (both LP64 and little-endian), so there is no architecture-specific code.
 * {@code RxRingV3}/{@code RxRingV2} alone know where in the ring the reader is; {@code SendBatch} alone owns the TX vectors.
 */
package io.jlvs.dataplane.transport.afpacket;
