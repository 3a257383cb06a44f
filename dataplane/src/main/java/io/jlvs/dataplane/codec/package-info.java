/**
 * Header layouts (Ethernet, IPv4, TCP, UDP) as offset constants, the in-place frame parser and the Internet checksum.
 * Nothing here allocates or throws on frame data.
 */
package io.jlvs.dataplane.codec;
