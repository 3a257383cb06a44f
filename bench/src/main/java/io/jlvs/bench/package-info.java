/**
 * JMH benchmarks of the per-packet path, one concern per class, each with a baseline measured in the same run so
 * that results read as ratios: frame parsing, forwarding an established flow with and without the Disruptor hop,
 * a new flow, the connection table, the schedulers, ARP replies and checksum completion. Run them with
 * {@code java -jar bench/target/benchmarks.jar -prof gc}; the README in {@code bench} has the command and results.
 */
package io.jlvs.bench;
