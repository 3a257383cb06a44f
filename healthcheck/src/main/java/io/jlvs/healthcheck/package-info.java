/**
 * keepalived's health checking for jlvs: the checkers ({@link io.jlvs.healthcheck.TcpChecker} for {@code TCP_CHECK},
 * {@link io.jlvs.healthcheck.HttpChecker} for {@code HTTP_GET} and {@code SSL_GET},
 * {@link io.jlvs.healthcheck.MiscChecker} for {@code MISC_CHECK}), keepalived's retry and timing rules
 * ({@code CheckerState}), and {@link io.jlvs.healthcheck.HealthMonitor}, which turns their verdicts into the list of
 * services the director runs: down servers out (or at weight 0 with {@code inhibit_on_failure}), quorum with
 * hysteresis, the sorry server, dynamic weights, notify scripts, alpha and omega.
 * <p>
 * Everything here is control plane: checks run on the monitor's own few threads, never on a dataplane thread, and
 * reach the dataplane only through {@code Director.apply}, which publishes a new immutable table. Allocation and
 * blocking I/O are fine here; nothing in this package is on the per-packet path.
 * <p>
 * <b>Not built yet: a check through the forwarding path.</b> keepalived's checkers, and these, talk to the real
 * server's own address, so a DR real server that lacks the VIP on a loopback (or answers ARP for it) passes its check
 * while every client connection forwarded to it is black-holed. The check that catches this has to travel the way
 * client traffic does: a TCP SYN (or a whole HTTP exchange) addressed to VIP:port, in an Ethernet frame addressed to
 * that real server's MAC (from the director's neighbour table), or IPIP-wrapped to its address for TUN, sent from
 * the director's own address on its own port range so that the replies, which the real server sends to the
 * director's address directly, reach a socket of ours and are not taken for client traffic. It needs: a way to
 * inject a frame through the dataplane's TX path (or a raw/packet socket of its own on the director's interface),
 * the MAC of each real server (the neighbour table already resolves them), a small userspace TCP handshake (SYN out,
 * SYN-ACK or RST back, RST to close) or a kernel socket whose route forces the real server's MAC (a per-check
 * neighbour entry for the VIP is not an option: the VIP is the director's own), and a config keyword to turn it on
 * per real server. Its verdict would then feed {@link io.jlvs.healthcheck.HealthMonitor} as one more
 * {@link io.jlvs.healthcheck.Checker}.
 */
package io.jlvs.healthcheck;
