/**
 * The host's own text turned into values the checks compare: {@code ip -o addr} ({@link io.jlvs.doctor.host.IpAddress}),
 * {@code ip -o link} ({@link io.jlvs.doctor.host.IpLink}), {@code ip route get}
 * ({@link io.jlvs.doctor.host.RouteLookup}), sysctl paths and keys ({@link io.jlvs.doctor.host.Sysctls}) and IPv4
 * prefixes ({@link io.jlvs.doctor.host.Prefix}). Parsers are lenient: a line they do not understand is skipped, never
 * an exception, because iproute2's output grows new words over the years.
 */
package io.jlvs.doctor.host;
