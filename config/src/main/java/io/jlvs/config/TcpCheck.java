package io.jlvs.config;

/** {@code TCP_CHECK}: the server passes when a TCP connection to it completes within the connect timeout. */
public record TcpCheck(String file, int line, CheckConnection connection, CheckTiming timing)
    implements HealthCheckConfig
{
}
