package io.jlvs.healthcheck;

import io.jlvs.config.HealthCheckConfig;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.MiscCheck;
import io.jlvs.config.TcpCheck;

/**
 * Makes the {@link Checker} for one checker block of keepalived.conf. {@link #KEEPALIVED} makes the real ones; a test
 * passes its own to script the outcomes and count attempts under a manual clock.
 */
@FunctionalInterface
public interface CheckerFactory
{
    /** {@link TcpChecker}, {@link HttpChecker} (HTTP_GET and SSL_GET) and {@link MiscChecker}. */
    CheckerFactory KEEPALIVED = CheckerFactory::keepalived;

    Checker create(HealthCheckConfig config);

    private static Checker keepalived(final HealthCheckConfig config)
    {
        if (config instanceof TcpCheck)
        {
            return new TcpChecker((TcpCheck)config);
        }
        if (config instanceof HttpGetCheck)
        {
            return new HttpChecker((HttpGetCheck)config);
        }
        return new MiscChecker((MiscCheck)config);
    }
}
