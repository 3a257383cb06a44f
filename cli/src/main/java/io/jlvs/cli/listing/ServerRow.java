package io.jlvs.cli.listing;

import io.jlvs.scheduler.Ipv4;

/**
 * One real server line of a listing.
 *
 * @param address         IPv4, host byte order.
 * @param forward         the word of ipvsadm's Forward column: {@code Route}, {@code Tunnel} or {@code Local}.
 * @param upperThreshold  0 = none.
 * @param lowerThreshold  0 = none.
 * @param stats           the server's totals: connections scheduled, frames and bytes forwarded to it.
 * @param rates           the same per second, as IPVS's estimator has them.
 */
public record ServerRow(
    int address,
    int port,
    String forward,
    int weight,
    int activeConns,
    int inactiveConns,
    int persistentConns,
    int upperThreshold,
    int lowerThreshold,
    Stats stats,
    Rates rates)
{
    /** A row without rates (a snapshot taken without an estimator). */
    public ServerRow(
        final int address,
        final int port,
        final String forward,
        final int weight,
        final int activeConns,
        final int inactiveConns,
        final int persistentConns,
        final int upperThreshold,
        final int lowerThreshold,
        final Stats stats)
    {
        this(address, port, forward, weight, activeConns, inactiveConns, persistentConns, upperThreshold,
            lowerThreshold, stats, Rates.ZERO);
    }

    /** {@code 198.18.0.11:80}, as ipvsadm -n prints a real server. */
    public String endpoint()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
