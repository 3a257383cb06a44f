package io.jlvs.healthcheck;

import io.jlvs.config.HealthCheckConfig;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.MiscCheck;
import io.jlvs.config.PathCheck;
import io.jlvs.config.TcpCheck;

/**
 * Makes the {@link Checker} for one checker block of keepalived.conf. {@link #KEEPALIVED} and {@link #keepalived}
 * make the real ones; a test passes its own to script the outcomes and count attempts under a manual clock.
 */
@FunctionalInterface
public interface CheckerFactory
{
    /**
     * {@link TcpChecker}, {@link HttpChecker} (HTTP_GET and SSL_GET), {@link MiscChecker}, and {@link PathChecker}
     * probing through the interface the routing table names, with MACs from its own ARP
     * ({@link PathProbeOptions#FROM_ROUTES}).
     */
    CheckerFactory KEEPALIVED = keepalived(PathProbeOptions.FROM_ROUTES);

    Checker create(HealthCheckConfig config);

    /**
     * The real checkers, {@code PATH_CHECK}'s probing as {@code pathProbes} says: a running director passes its
     * interface and neighbour cache, {@code PathProbeOptions.on(interfaceName, director.neighbours()::lookupShared)}.
     */
    static CheckerFactory keepalived(final PathProbeOptions pathProbes)
    {
        return config -> create(config, pathProbes);
    }

    private static Checker create(final HealthCheckConfig config, final PathProbeOptions pathProbes)
    {
        if (config instanceof TcpCheck)
        {
            return new TcpChecker((TcpCheck)config);
        }
        if (config instanceof HttpGetCheck)
        {
            return new HttpChecker((HttpGetCheck)config);
        }
        if (config instanceof PathCheck)
        {
            return new PathChecker((PathCheck)config, pathProbes);
        }
        return new MiscChecker((MiscCheck)config);
    }
}
