/**
 * The control socket: a Unix domain socket (mode 0600) served by a running director on a control thread of its own,
 * never a dataplane thread. The protocol is one request line and a text answer, then the server closes:
 * {@code list [stats|thresholds|persistent-conn] [exact] [connections] [timeout] [counters] [neighbours]} answers
 * with the listing, {@code reload} re-reads the configuration; anything else, or a failure, answers with one line
 * starting {@code error: }. {@link io.jlvs.cli.control.RuntimeServices} holds the services the director is asked to
 * run (the file's, plus runtime edits) and hands every change whole to the health monitor.
 */
package io.jlvs.cli.control;
