/** What the dataplane counts (forwarded frames, drops by reason), on padded single-writer counters. */
package io.jlvs.dataplane.counter;
