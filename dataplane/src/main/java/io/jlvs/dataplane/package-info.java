/**
 * The director: a frame enters through {@code transport}, crosses the {@code pipeline} ring, is decided in
 * {@code forward} (with {@code io.jlvs.scheduler}, {@code io.jlvs.conntrack} and {@code io.jlvs.arp}) and leaves
 * through {@code transport} again. {@link io.jlvs.dataplane.Director} wires one interface's worth of it.
 */
package io.jlvs.dataplane;
