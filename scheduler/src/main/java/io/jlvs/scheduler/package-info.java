/**
 * The IPVS schedulers, one class per kernel module ({@code net/netfilter/ipvs/ip_vs_*.c}), registered by their
 * IPVS names in {@link io.jlvs.scheduler.Schedulers}: {@code rr}, {@code wrr}, {@code lc}, {@code wlc} (the
 * default), {@code sed}, {@code nq}, {@code lblc}, {@code lblcr}, {@code dh}, {@code sh}, {@code mh}, {@code fo},
 * {@code ovf}, {@code twos}; and {@link io.jlvs.scheduler.RealServer}, the destination whose weight, flags and
 * connection counters (with IPVS's threshold hysteresis) they read.
 * <p>
 * The control plane builds a {@link io.jlvs.scheduler.Scheduler} per virtual service and publishes it; the
 * forwarding thread calls {@code select} for each new connection, which allocates nothing, locks nothing and
 * throws nothing. A weight or server-set change builds a new instance that carries over what IPVS keeps (see
 * {@link io.jlvs.scheduler.SchedulerFactory}). To add a scheduler, see {@link io.jlvs.scheduler.Scheduler}.
 */
package io.jlvs.scheduler;
