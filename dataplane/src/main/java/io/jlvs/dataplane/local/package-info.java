/**
 * The host side of "Local" forwarding, for a director that is also a real server: a veth pair into the host's own
 * stack and an nftables rule that keeps the kernel from answering VIP frames jlvs sends elsewhere.
 */
package io.jlvs.dataplane.local;
