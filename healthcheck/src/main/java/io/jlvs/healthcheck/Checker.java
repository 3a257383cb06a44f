package io.jlvs.healthcheck;

/**
 * One keepalived checker of one real server, able to make one blocking attempt ({@code TCP_CHECK}: connect;
 * {@code HTTP_GET}/{@code SSL_GET}: fetch every url; {@code MISC_CHECK}: run the script). When to attempt and how
 * many failures take the server down is not the checker's business: {@link HealthMonitor} decides that.
 * <p>
 * An attempt runs on a checker thread, never on a dataplane thread, and is bounded by the checker's own timeout.
 */
@FunctionalInterface
public interface Checker
{
    /**
     * Makes one attempt on the calling thread.
     *
     * @return the outcome; an exception thrown counts as a failed attempt.
     */
    CheckOutcome check() throws Exception;
}
