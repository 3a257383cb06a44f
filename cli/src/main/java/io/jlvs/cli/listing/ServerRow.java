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
    Stats stats)
{
    /** {@code 198.18.0.11:80}, as ipvsadm -n prints a real server. */
    public String endpoint()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
