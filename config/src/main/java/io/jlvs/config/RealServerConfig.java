package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * One {@code real_server} (or the {@code sorry_server}) of a virtual service. The address is IPv4 in host byte order;
 * port 0 means "the port the client asked for", which is all DR and TUN can do anyway.
 *
 * @param weight            IPVS weight, 0..65535 (0 quiesces); keepalived's default is 1 (or the service's
 *                          {@code weight}).
 * @param upperThreshold    {@code uthreshold}: no new connections above this many, 0 = none.
 * @param lowerThreshold    {@code lthreshold}: new connections again below this many, 0 = none.
 * @param method            the server's {@code lvs_method}, else the service's.
 * @param notifyUp          {@code notify_up} script, or null.
 * @param notifyDown        {@code notify_down} script, or null.
 * @param inhibitOnFailure  a failed server is set to weight 0 instead of being removed (the server's own
 *                          {@code inhibit_on_failure}, else the service's).
 */
public record RealServerConfig(
    String file,
    int line,
    int address,
    int port,
    int weight,
    int upperThreshold,
    int lowerThreshold,
    ForwardingMethod method,
    List<HealthCheckConfig> checks,
    String notifyUp,
    String notifyDown,
    boolean inhibitOnFailure)
{
    public RealServerConfig
    {
        checks = List.copyOf(checks);
    }

    /** The form the brief of the CLI knows: no inhibit-on-failure. */
    public RealServerConfig(
        final String file,
        final int line,
        final int address,
        final int port,
        final int weight,
        final int upperThreshold,
        final int lowerThreshold,
        final ForwardingMethod method,
        final List<HealthCheckConfig> checks,
        final String notifyUp,
        final String notifyDown)
    {
        this(file, line, address, port, weight, upperThreshold, lowerThreshold, method, checks, notifyUp, notifyDown,
            false);
    }

    /** {@code 10.0.0.2:80}, as ipvsadm prints a real server. */
    public String endpoint()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
