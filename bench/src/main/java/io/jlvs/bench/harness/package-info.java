/**
 * The end-to-end harness behind {@code bin/jlvs bench}: a generator namespace blasts UDP and TCP frames at a VIP,
 * a director namespace forwards them to real-server namespaces (jlvs in-process, then the kernel doing the same DR
 * rewrite with an nftables netdev-ingress rule as the baseline), and the real servers' interface counters say what
 * arrived. It reports packets per second, loss, new connections per second and jlvs's latency, and ends with one
 * summary line per case. Everything lives in a {@link io.jlvs.lab.Lab} and is torn down at the end.
 */
package io.jlvs.bench.harness;
