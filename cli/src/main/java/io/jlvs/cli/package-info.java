/**
 * The jlvs application ({@code bin/jlvs}): {@code run} serves a keepalived.conf on an interface, {@code list} asks a
 * running director for ipvsadm's listing over the control socket, {@code demo} runs the whole thing in a namespace
 * lab. Commands are picocli commands; exit codes are those of {@link io.jlvs.cli.ExitCodes}.
 */
package io.jlvs.cli;
