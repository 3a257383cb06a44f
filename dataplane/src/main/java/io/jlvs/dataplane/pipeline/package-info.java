/**
 * The one hop between capture and decision: the capture agent copies each frame into a preallocated slot of an
 * LMAX Disruptor ring; the forwarding handler consumes the slots in batches.
 */
package io.jlvs.dataplane.pipeline;
