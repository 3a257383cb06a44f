package io.jlvs.config;

import java.util.List;

/** Everything jlvs takes from one keepalived.conf (and the files it includes): the services, and what was ignored. */
public record DirectorConfig(List<VirtualServiceConfig> services, List<ConfigWarning> warnings)
{
    public DirectorConfig
    {
        services = List.copyOf(services);
        warnings = List.copyOf(warnings);
    }
}
