/**
 * Where a frame is decided and rewritten: the forwarding handler (the forwarding thread) and one class per IPVS
 * forwarding method ({@link io.jlvs.dataplane.forward.DirectRouting}; TUN and Local arrive with their issues).
 */
package io.jlvs.dataplane.forward;
