package io.jlvs.healthcheck;

import io.jlvs.config.RealServerConfig;
import io.jlvs.dataplane.service.RealServerSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One real server of one service as the monitor tracks it: alive when every checker says up (keepalived's rule, a
 * server with no checker is always alive), and its current weight (the configured one until a dynamic
 * {@code MISC_CHECK} sets another). Guarded by the monitor's lock.
 */
final class ServerHealth
{
    final ServiceHealth service;
    RealServerConfig config;
    RealServerSpec spec;
    boolean alive;
    int weight;
    List<CheckerRun> checkers = new ArrayList<>();

    ServerHealth(final ServiceHealth service, final RealServerConfig config, final RealServerSpec spec)
    {
        this.service = service;
        this.config = config;
        this.spec = spec;
        this.weight = spec.weight();
    }

    /** {@code 10.0.0.2:80}. */
    String endpoint()
    {
        return config.endpoint();
    }

    boolean allCheckersUp()
    {
        return failedCheckers() == 0;
    }

    int failedCheckers()
    {
        int failed = 0;
        for (final CheckerRun checker : checkers)
        {
            if (!checker.state.up())
            {
                failed++;
            }
        }
        return failed;
    }

    /** The spec the director gets for this server at {@code weightNow}. */
    RealServerSpec withWeight(final int weightNow)
    {
        return new RealServerSpec(spec.address(), spec.port(), weightNow, spec.upperThreshold(),
            spec.lowerThreshold(), spec.method());
    }

    HealthStatus.Server status()
    {
        return new HealthStatus.Server(spec.address(), spec.port(), alive, weight, failedCheckers(), checkers.size());
    }
}
