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
 * <b>Not built yet: a check through the forwarding path</b> (issue 4, beyond keepalived). keepalived's checkers, and
 * these, talk to the real server's own address, so a DR real server without the VIP on a loopback passes its check
 * while every client connection forwarded to it is black-holed. Catching that needs a probe that travels as client
 * traffic does, and would take:
 * <ul>
 *   <li>a frame built by jlvs: a TCP SYN from the director's own address and a port reserved for probes to VIP:port,
 *   in an Ethernet frame addressed to that real server's MAC (the neighbour table already resolves it), or
 *   IPIP-wrapped to the real server's address for TUN, sent through the dataplane's TX path. A kernel socket cannot
 *   do it: the VIP is not the kernel's, and a route to it would lead through jlvs' own scheduler, not to a chosen
 *   server;</li>
 *   <li>the answer: the real server replies from the VIP straight to the director's address, so the capture side
 *   must hand SYN-ACK or RST segments for the probe ports to the checker before the forwarding handler sees them
 *   (the kernel, which never sent the SYN, answers the SYN-ACK with a RST of its own, which conveniently closes the
 *   half-open connection on the real server);</li>
 *   <li>a verdict (SYN-ACK passes, RST or timeout fails), a config keyword to enable it per real server, and a
 *   {@link io.jlvs.healthcheck.Checker} that feeds it to {@link io.jlvs.healthcheck.HealthMonitor} like any other.</li>
 * </ul>
 */
package io.jlvs.healthcheck;
