package io.jlvs.dataplane.service;

import io.jlvs.scheduler.Schedulers;
import io.jlvs.scheduler.SchedulerFlags;

import java.util.List;

/**
 * What the control plane asks for one virtual service: where it listens, how it schedules, and its real servers.
 *
 * @param protocol                  IP protocol number, 6 (TCP) or 17 (UDP).
 * @param addresses                 the VIP:port pairs it answers on: one for {@code virtual_server IP PORT}, several
 *                                  for a group or a fwmark service.
 * @param fwmark                    the keepalived fwmark number this service came from, 0 if none (for listings).
 * @param scheduler                 IPVS scheduler name.
 * @param schedulerFlags            scheduler flags.
 * @param persistenceTimeoutSeconds 0 = not persistent.
 * @param persistenceNetmask        netmask applied to the client address for persistence, host byte order.
 * @param realServers               its real servers.
 * @param excludedSourceMacs        frames from these MACs are never scheduled by this service: they come from the
 *                                  peer director of a master/backup pair whose directors are also real servers, which
 *                                  already scheduled them here (keepalived.conf {@code jlvs_exclude_source_mac}).
 */
public record VirtualServiceSpec(
    int protocol,
    List<VirtualAddress> addresses,
    int fwmark,
    String scheduler,
    SchedulerFlags schedulerFlags,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    List<RealServerSpec> realServers,
    List<Long> excludedSourceMacs)
{
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int HOST_NETMASK = 0xFFFF_FFFF;

    public VirtualServiceSpec
    {
        if (protocol != TCP && protocol != UDP)
        {
            throw new IllegalArgumentException("protocol must be TCP (6) or UDP (17), protocol=" + protocol);
        }
        if (addresses == null || addresses.isEmpty())
        {
            throw new IllegalArgumentException("a virtual service needs at least one address");
        }
        if (persistenceTimeoutSeconds < 0)
        {
            throw new IllegalArgumentException("persistence timeout must be >= 0, timeout=" + persistenceTimeoutSeconds);
        }
        addresses = List.copyOf(addresses);
        realServers = List.copyOf(realServers);
        excludedSourceMacs = excludedSourceMacs == null ? List.of() : List.copyOf(excludedSourceMacs);
        scheduler = scheduler == null ? Schedulers.DEFAULT : scheduler;
        schedulerFlags = schedulerFlags == null ? SchedulerFlags.NONE : schedulerFlags;
    }

    /** A service that excludes no source MAC. */
    public VirtualServiceSpec(
        final int protocol,
        final List<VirtualAddress> addresses,
        final int fwmark,
        final String scheduler,
        final SchedulerFlags schedulerFlags,
        final int persistenceTimeoutSeconds,
        final int persistenceNetmask,
        final List<RealServerSpec> realServers)
    {
        this(protocol, addresses, fwmark, scheduler, schedulerFlags, persistenceTimeoutSeconds, persistenceNetmask,
            realServers, List.of());
    }

    /** A single-address, non-persistent service: the common {@code virtual_server IP PORT} block. */
    public static VirtualServiceSpec of(
        final int protocol, final int vip, final int port, final String scheduler, final List<RealServerSpec> servers)
    {
        return new VirtualServiceSpec(protocol, List.of(new VirtualAddress(vip, port)), 0, scheduler,
            SchedulerFlags.NONE, 0, HOST_NETMASK, servers);
    }

    public String protocolName()
    {
        return protocol == TCP ? "TCP" : "UDP";
    }

    @Override
    public String toString()
    {
        return (fwmark != 0 ? "FWM " + fwmark : protocolName() + " " + addresses.get(0)) + " " + scheduler;
    }
}
