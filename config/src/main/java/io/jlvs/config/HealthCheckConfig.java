package io.jlvs.config;

/**
 * One checker attached to a real server (keepalived's {@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET},
 * {@code MISC_CHECK}, and jlvs' {@code PATH_CHECK}), with every default already resolved the way keepalived resolves
 * it: checker setting, else the real server's, else the virtual server's, else keepalived's default.
 */
public sealed interface HealthCheckConfig permits TcpCheck, HttpGetCheck, MiscCheck, PathCheck
{
    /** The file that declares the checker. */
    String file();

    /** The line of the checker's keyword. */
    int line();

    /** When the checker runs and how many failures take the server down. */
    CheckTiming timing();
}
