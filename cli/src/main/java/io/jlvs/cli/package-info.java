/**
 * The jlvs application ({@code bin/jlvs}): {@code run} serves a keepalived.conf on an interface with its health
 * checks, {@code list} asks a running director for ipvsadm's listing over the control socket, ipvsadm's verbs
 * ({@code add-service}, {@code add-server}, ..., {@code zero}, {@code save}, {@code restore}) edit it at run time,
 * {@code demo} runs the whole thing in a namespace lab, {@code doctor} checks a director or a real server and prints
 * the fixes, {@code tunnel-endpoint} decapsulates IPIP on a TUN real server without the ipip module. Commands are
 * picocli commands; exit codes are those of {@link io.jlvs.cli.ExitCodes}.
 */
package io.jlvs.cli;
