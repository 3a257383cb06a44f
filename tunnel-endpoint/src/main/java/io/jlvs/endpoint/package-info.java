/**
 * The real-server side of TUN (IPIP) mode, for hosts whose kernel has no {@code ipip} module: {@link
 * io.jlvs.endpoint.TunnelEndpoint} receives the IPIP packets addressed to this host on a raw socket
 * ({@link io.jlvs.endpoint.RawIpipSocket}, where a packet enters), checks and unwraps them
 * ({@link io.jlvs.endpoint.IpipDecapsulator}, where it is decided) and writes the inner packet to a TUN device
 * ({@link io.jlvs.endpoint.TunDevice}, where it leaves), so the local server answers the client directly.
 * {@link io.jlvs.endpoint.HostCheck} says what the host still needs (VIP on lo, rp_filter, ARP sysctls).
 */
package io.jlvs.endpoint;
