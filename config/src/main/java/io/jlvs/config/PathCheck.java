package io.jlvs.config;

import java.util.List;

/**
 * {@code PATH_CHECK}, a jlvs checker beside keepalived's in a {@code real_server} block: the server passes when a TCP
 * SYN sent the way the director forwards client traffic to it is answered from the VIP. keepalived's checkers talk to
 * the server's own address, so a DR server without the VIP on a loopback passes them while it drops every connection
 * forwarded to it; this check fails it instead.
 * <p>
 * The probe goes from the director interface's own IPv4 address and a random high port to VIP:port: for DR in an
 * Ethernet frame addressed to the real server's MAC, for TUN wrapped in IPIP from the director to the real server
 * (next hop from the routing table, as the director forwards). The attempt passes when, within the connect timeout,
 * a SYN-ACK <em>or a RST</em> comes back from VIP:port to the director's address and that port: either answer proves
 * that the server holds the VIP and answers from it, which is all this check is about (whether something listens is
 * what {@code TCP_CHECK} and {@code HTTP_GET} check; pair them). Silence fails it: a host drops frames for an address
 * it does not have. For DR the answer must also come from the real server's own MAC, so that a server that routes
 * the probe back to the director (ip_forward=1, no VIP) cannot pass on another server's answer. A SYN-ACK is
 * followed by a RST, so the server keeps no half-open connection. On a UDP service the probe is still a TCP SYN, and
 * the server's RST passes it.
 * <pre>
 *   real_server 10.0.0.2 80 {
 *       PATH_CHECK {
 *           connect_port 80          ! default: the service's port (each VIP's own), else the real server's
 *           connect_timeout 3        ! bounds the whole attempt: resolving the MAC, the SYN, its answer (default 5)
 *           retry 2                  ! alias nb_get_retry; delay_before_retry, delay_loop, warmup and alpha too,
 *       }                            ! with the same defaults and inheritance as TCP_CHECK
 *   }
 * </pre>
 * {@code connect_ip}, {@code bindto}, {@code bind_port}, {@code bind_if} and {@code fwmark} are refused: the probe
 * always leaves the director interface from its own address towards the service's VIPs.
 *
 * @param realServer       the real server the probe is forwarded to (IPv4, host order).
 * @param method           how the probe reaches it: DR (its MAC) or TUN (IPIP to its address).
 * @param targets          what the probe is sent to: one VIP:port per distinct VIP of the service (a group or
 *                         {@code jlvs_match} service has several), at most {@link #MAX_TARGETS}; every one must
 *                         answer for the attempt to pass.
 * @param connectTimeoutMs {@code connect_timeout}, keepalived's default 5 s: how long the whole attempt may take.
 */
public record PathCheck(
    String file,
    int line,
    int realServer,
    ForwardingMethod method,
    List<VirtualAddress> targets,
    long connectTimeoutMs,
    CheckTiming timing) implements HealthCheckConfig
{
    /**
     * The most VIPs one attempt probes: a group of ranges may name thousands, and one SYN each per delay loop and
     * real server is plenty of proof that the server holds its VIPs; the reader warns when it keeps only these.
     */
    public static final int MAX_TARGETS = 64;

    public PathCheck
    {
        targets = List.copyOf(targets);
        if (targets.isEmpty() || targets.size() > MAX_TARGETS)
        {
            throw new IllegalArgumentException("targets must hold 1.." + MAX_TARGETS + " VIP:port pairs, targets=" +
                targets.size());
        }
    }
}
