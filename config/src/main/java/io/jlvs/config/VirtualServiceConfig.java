package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;

import java.util.List;

/**
 * One {@code virtual_server}: the VIP:port pairs it answers on, how it schedules and forwards, and its real servers.
 * A {@code virtual_server IP PORT} has one address; a {@code group} or {@code fwmark} service has the addresses of its
 * group and of its {@code jlvs_match} lines.
 *
 * @param fwmark                    the number of a {@code virtual_server fwmark N}, else null.
 * @param groupName                 the group of a {@code virtual_server group NAME}, else null.
 * @param scheduler                 the IPVS scheduler name ({@code lb_algo}/{@code lvs_sched}); IPVS's
 *                                  {@code wlc} when the file names none.
 * @param schedulerFlags            comma-separated scheduler flags as {@code SchedulerFlags.parse} reads them
 *                                  ({@code sh-fallback,sh-port}), empty for none.
 * @param persistenceTimeoutSeconds 0 = not persistent; a bare {@code persistence_timeout} means 360.
 * @param persistenceNetmask        {@code persistence_granularity} in host byte order, 0xFFFFFFFF by default.
 * @param delayLoopSeconds          the service's {@code delay_loop} in whole seconds (rounded up); each check
 *                                  carries its exact interval.
 * @param sorryServer               {@code sorry_server}, or null.
 * @param quorum                    minimum total weight of live servers for the service to be up (default 1).
 * @param hysteresis                flap dampener around the quorum (default 0).
 * @param alpha                     servers start as failed until their checks pass.
 * @param omega                     run the quorum-down and server-down scripts on shutdown.
 * @param excludedSourceMacs        {@code jlvs_exclude_source_mac}: frames from these MACs (48 bits, first byte in
 *                                  bits 40..47) are never scheduled by this service, only delivered locally; the
 *                                  fix for master/backup ping-pong between two directors that are also real servers.
 * @param onePacketScheduling       {@code ops}: each UDP datagram is scheduled on its own.
 * @param quorumUp                  {@code quorum_up} script, or null.
 * @param quorumDown                {@code quorum_down} script, or null.
 */
public record VirtualServiceConfig(
    String file,
    int line,
    Protocol protocol,
    List<VirtualAddress> addresses,
    Integer fwmark,
    String groupName,
    String scheduler,
    String schedulerFlags,
    ForwardingMethod method,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    int delayLoopSeconds,
    RealServerConfig sorryServer,
    boolean inhibitOnFailure,
    int quorum,
    int hysteresis,
    boolean alpha,
    boolean omega,
    List<RealServerConfig> realServers,
    List<Long> excludedSourceMacs,
    boolean onePacketScheduling,
    String quorumUp,
    String quorumDown)
{
    public VirtualServiceConfig
    {
        addresses = List.copyOf(addresses);
        realServers = List.copyOf(realServers);
        excludedSourceMacs = List.copyOf(excludedSourceMacs);
    }

    /** Whether connections from one client stick to one real server for {@link #persistenceTimeoutSeconds()}. */
    public boolean isPersistent()
    {
        return persistenceTimeoutSeconds > 0;
    }

    /**
     * How keepalived names the service in its logs: {@code 10.0.0.1:80 TCP}, {@code FWM 1} or {@code [web]}.
     */
    public String displayName()
    {
        if (fwmark != null)
        {
            return "FWM " + fwmark;
        }
        if (groupName != null)
        {
            return '[' + groupName + ']';
        }
        final VirtualAddress address = addresses.get(0);
        return Ipv4.toString(address.address()) + ':' + address.port() + ' ' + protocol;
    }
}
