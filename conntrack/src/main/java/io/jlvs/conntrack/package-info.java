/**
 * The IPVS connection table of jlvs: connections and persistence templates keyed on protocol, client address and
 * port, virtual address and port, with IPVS's input-only TCP states ({@code ip_vs_proto_tcp.c}), its timeouts and
 * its per-real-server ActiveConn / InActConn / persistent counts.
 * <p>
 * {@link io.jlvs.conntrack.ConnectionTable} is owned by one forwarding thread: lookups, inserts, per-packet state
 * changes and the incremental expiry (a timer wheel) allocate, lock, log and throw nothing. Entries live in one
 * off-heap allocation (on transparent huge pages when possible), are found through an open-addressed key index
 * whose hits read one cache line, and are named by stable {@code int} handles. Counter changes leave through a
 * {@link io.jlvs.conntrack.ConnectionListener}, so the table depends on no other jlvs module.
 */
package io.jlvs.conntrack;
