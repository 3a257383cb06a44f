package io.jlvs.cli.listing;

import java.util.List;

/**
 * One virtual service of a listing, with its real servers. A service that answers on several VIP:port pairs (a
 * keepalived group) is listed as one row per pair, as keepalived installs one IPVS service per pair.
 *
 * @param protocol                  IP protocol number (6 TCP, 17 UDP).
 * @param fwmark                    the keepalived fwmark number, 0 for an address:port service.
 * @param address                   VIP, host byte order (unused when fwmark is set).
 * @param schedulerFlags            {@link io.jlvs.scheduler.SchedulerFlags} bits.
 * @param persistenceTimeoutSeconds 0 = not persistent.
 * @param persistenceNetmask        host byte order; 0xFFFFFFFF = per client address.
 * @param onePacket                 ipvsadm's {@code ops} flag.
 * @param stats                     the service's totals.
 * @param rates                     the service's rates: its servers' together.
 */
public record ServiceRow(
    int protocol,
    int fwmark,
    int address,
    int port,
    String scheduler,
    int schedulerFlags,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    boolean onePacket,
    Stats stats,
    List<ServerRow> servers,
    Rates rates)
{
    public ServiceRow
    {
        servers = List.copyOf(servers);
    }

    /** A row without rates (a snapshot taken without an estimator). */
    public ServiceRow(
        final int protocol,
        final int fwmark,
        final int address,
        final int port,
        final String scheduler,
        final int schedulerFlags,
        final int persistenceTimeoutSeconds,
        final int persistenceNetmask,
        final boolean onePacket,
        final Stats stats,
        final List<ServerRow> servers)
    {
        this(protocol, fwmark, address, port, scheduler, schedulerFlags, persistenceTimeoutSeconds, persistenceNetmask,
            onePacket, stats, servers, Rates.ZERO);
    }
}
