/**
 * The host's IPv4 routes, for the TUN next hop: where an IPIP packet to a real server on another subnet is sent
 * (the gateway, whose MAC jlvs resolves) and through which interface. Read from the kernel on the control plane into
 * an immutable longest-prefix-match table the forwarding thread can query without allocating.
 */
package io.jlvs.dataplane.route;
