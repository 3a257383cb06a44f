package io.jlvs.cli.listing;

/**
 * One entry of the connection table as {@code ipvsadm -L -n -c} lists it. Addresses are IPv4 in host byte order.
 *
 * @param protocol       IP protocol number.
 * @param expiresSeconds whole seconds until the entry expires.
 * @param state          the state's name ({@code ESTABLISHED}, {@code FIN_WAIT}, {@code NONE} for a template...).
 */
public record ConnectionRow(
    int protocol,
    long expiresSeconds,
    String state,
    int clientAddress,
    int clientPort,
    int virtualAddress,
    int virtualPort,
    int destinationAddress,
    int destinationPort)
{
}
