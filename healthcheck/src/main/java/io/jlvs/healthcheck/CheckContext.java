package io.jlvs.healthcheck;

/**
 * Where a checker's attempt runs: Java opens a socket's file descriptor lazily, at connect, in the network namespace of
 * the thread that connects. A context wraps each whole attempt (socket creation, connect, request, reply; a script's
 * start) so that a director running in a namespace checks its real servers from that namespace.
 * {@link #DIRECT} runs the attempt as it is; a lab test passes {@code c -> NetworkNamespace.call(ns, c::check)}.
 */
@FunctionalInterface
public interface CheckContext
{
    /** The calling thread, as it is. */
    CheckContext DIRECT = Checker::check;

    /** Runs {@code checker.check()} on the calling thread, inside this context, and returns its outcome. */
    CheckOutcome run(Checker checker) throws Exception;
}
