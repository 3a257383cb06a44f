/**
 * What {@code jlvs list} shows: an immutable snapshot of the running services, real servers, connections and
 * counters ({@link io.jlvs.cli.listing.Listing}), taken from a director off its dataplane threads, and the renderer
 * that prints it in exactly ipvsadm's {@code -L -n} layouts ({@link io.jlvs.cli.listing.IpvsadmFormat}), and the
 * control plane's view of the servers' counters: {@code zero}'s baselines and IPVS's rate estimator
 * ({@link io.jlvs.cli.listing.ServerStatistics}), and of the director's forwarding latency: the last sampled interval
 * and the total since start or zero ({@link io.jlvs.cli.listing.LatencyStatistics}).
 */
package io.jlvs.cli.listing;
