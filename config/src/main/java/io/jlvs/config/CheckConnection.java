package io.jlvs.config;

/**
 * Where a connecting checker ({@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET}) connects to and from. Addresses
 * are IPv4 in host byte order.
 *
 * @param connectIp        {@code connect_ip}, else the real server's address.
 * @param connectPort      {@code connect_port}, else the real server's port, else the service's port.
 * @param bindTo           {@code bindto}: source address, 0 = chosen by the kernel.
 * @param bindPort         {@code bind_port}: source port, 0 = chosen by the kernel.
 * @param connectTimeoutMs {@code connect_timeout}; keepalived's default is 5 s.
 */
public record CheckConnection(int connectIp, int connectPort, int bindTo, int bindPort, long connectTimeoutMs)
{
}
