package io.jlvs.healthcheck;

/**
 * Runs keepalived's notification scripts ({@code notify_up}, {@code notify_down}, {@code quorum_up},
 * {@code quorum_down}). {@link #notify} must return at once: the monitor calls it while deciding, and a script must
 * never delay a check or a publication.
 */
public interface Notifier extends AutoCloseable
{
    /**
     * Starts {@code script} (a command line) in the background.
     *
     * @param script the command line as written in keepalived.conf.
     * @param event  what happened, for logs ({@code "10.0.0.2:80 of 10.0.0.1:80 TCP is down"}).
     */
    void notify(String script, String event);

    /** Waits a bounded time for scripts still running (omega's shutdown scripts), then stops them. */
    @Override
    void close();
}
