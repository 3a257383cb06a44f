/**
 * The control socket: a Unix domain socket (mode 0600) served by a running director on a control thread of its own,
 * never a dataplane thread. The protocol is one request line and a text answer, then the server closes:
 * {@code list [stats|rate|thresholds|persistent-conn|latency] [exact] [connections] [timeout] [counters]
 * [neighbours]} answers with the listing, {@code reload} re-reads the configuration, {@code ipvsadm ARGS} applies
 * one ipvsadm edit ({@code -A -E -D -C -a -e -d}) or zeroes counters ({@code -Z}), {@code save} answers with the table
 * as ipvsadm rules, and {@code restore}, whose body is the lines the client sends after it up to its end of stream,
 * applies rules all or nothing; anything else, or a failure, answers with one line starting {@code error: }.
 * {@link io.jlvs.cli.control.RuntimeServices} holds the services the director is asked to run (the file's, plus runtime
 * edits until the next reload) and hands every change whole to the health monitor.
 */
package io.jlvs.cli.control;
