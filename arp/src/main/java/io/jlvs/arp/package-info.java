/**
 * ARP for the director: answering ARP requests for the virtual addresses (VIPs) on the one interface jlvs runs on,
 * announcing them with gratuitous ARP at start, and the neighbour cache that resolves the real servers' MAC
 * addresses for direct routing.
 * <p>
 * {@link io.jlvs.arp.ArpResponder} and {@link io.jlvs.arp.NeighbourTable} are driven by the forwarding thread (per
 * ARP frame and per tick) and allocate, lock, log and throw nothing there; the control plane only publishes new
 * immutable address sets ({@code virtualAddresses}, {@code wanted}). {@link io.jlvs.arp.ArpHeader} holds the frame
 * layout and {@link io.jlvs.arp.MacAddress} the 48-bit-in-a-long MAC helpers.
 */
package io.jlvs.arp;
