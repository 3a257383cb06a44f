/**
 * keepalived's health checking for jlvs: the checkers ({@link io.jlvs.healthcheck.TcpChecker} for {@code TCP_CHECK},
 * {@link io.jlvs.healthcheck.HttpChecker} for {@code HTTP_GET} and {@code SSL_GET},
 * {@link io.jlvs.healthcheck.MiscChecker} for {@code MISC_CHECK}, and jlvs' own
 * {@link io.jlvs.healthcheck.PathChecker} for {@code PATH_CHECK}), keepalived's retry and timing rules
 * ({@code CheckerState}), and {@link io.jlvs.healthcheck.HealthMonitor}, which turns their verdicts into the list of
 * services the director runs: down servers out (or at weight 0 with {@code inhibit_on_failure}), quorum with
 * hysteresis, the sorry server, dynamic weights, notify scripts, alpha and omega.
 * <p>
 * Everything here is control plane: checks run on the monitor's own few threads, never on a dataplane thread, and
 * reach the dataplane only through {@code Director.apply}, which publishes a new immutable table. Allocation and
 * blocking I/O are fine here; nothing in this package is on the per-packet path. An attempt runs whole inside the
 * monitor's {@link io.jlvs.healthcheck.CheckContext}, so every socket it opens belongs to the director's namespace.
 * <p>
 * <b>A check through the forwarding path</b> ({@code PATH_CHECK}, beyond keepalived). keepalived's checkers talk to
 * the real server's own address, so a DR real server without the VIP on a loopback passes them while every client
 * connection forwarded to it is black-holed. A PATH_CHECK attempt travels as client traffic does:
 * <ul>
 *   <li>it opens a packet socket of its own on the director interface (named by
 *   {@link io.jlvs.healthcheck.PathProbeOptions}, else the routing table's interface towards the server), for the
 *   attempt only, with a kernel receive filter ({@code PathProbeFilter}) that lets only ARP replies to the director
 *   and TCP from the VIPs' ports to its dynamic ports into the socket's small ring. A kernel socket cannot
 *   send the probe: the VIP is not the kernel's, and a route to it would lead through jlvs' own scheduler, not to a
 *   chosen server;</li>
 *   <li>{@code PathProbeFrames} builds a TCP SYN from the interface's own IPv4 address and a
 *   random port of the dynamic range to each VIP:port of the service, in an Ethernet frame to the server's MAC (DR)
 *   or wrapped in IPIP to the server through the routing table's next hop (TUN), as the director forwards. The MAC
 *   comes from the running director's neighbour cache when the monitor is given it, else from an ARP request on the
 *   probe socket. Unanswered SYNs go again each second, as a connect's would;</li>
 *   <li>{@code PathProbeReply} picks the answer out of what the interface receives: a segment
 *   from VIP:port to the director's address and probe port that acknowledges the SYN. A SYN-ACK passes, and so does
 *   a RST: both prove that the server holds the VIP and answers from it, which is what this check is about (whether
 *   a service listens is TCP_CHECK's and HTTP_GET's business). For DR the answer must come from the server's own MAC:
 *   a server without the VIP but with ip_forward=1 would route the probe back to the director, and another server's
 *   answer would pass it otherwise. Silence until {@code connect_timeout}, which bounds the whole attempt, fails it:
 *   a host drops frames for an address it does not have;</li>
 *   <li>a SYN-ACK is answered with a RST sent the same way, so the server keeps no half-open connection (the
 *   director's kernel, which never sent the SYN, also resets it, but its RST goes wherever the kernel routes the
 *   VIP, which need not be that server).</li>
 * </ul>
 * A running director passes its interface and neighbour cache with
 * {@code CheckerFactory.keepalived(PathProbeOptions.on(interface, director.neighbours()::lookupShared))};
 * {@link io.jlvs.healthcheck.CheckerFactory#KEEPALIVED} finds the interface from the routing table and ARPs itself.
 */
package io.jlvs.healthcheck;
