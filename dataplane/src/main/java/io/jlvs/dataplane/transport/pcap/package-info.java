/**
 * The portable fallback transport on pcap4j/libpcap ({@code --io pcap}) and pcap file reading and writing for tests
 * and golden frames. The pcap transport allocates per frame and carries no virtio_net_hdr; it exists for platforms and
 * kernels where the AF_PACKET transport cannot run, not for speed.
 */
package io.jlvs.dataplane.transport.pcap;
