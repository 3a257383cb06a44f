package io.jlvs.config;

import java.util.List;

/**
 * {@code HTTP_GET} or, with {@code ssl}, {@code SSL_GET}: the server passes when every url answers with an accepted
 * status (and digest, when one is given).
 *
 * @param httpProtocol {@code http_protocol}: {@code 1.0} (keepalived's default), {@code 1.0C} (1.0 with
 *                     "Connection: close") or {@code 1.1}.
 * @param enableSni    {@code enable_sni} (SSL_GET): send the virtual host as TLS server name.
 */
public record HttpGetCheck(
    String file,
    int line,
    boolean ssl,
    CheckConnection connection,
    CheckTiming timing,
    List<UrlCheck> urls,
    String httpProtocol,
    boolean enableSni) implements HealthCheckConfig
{
    public HttpGetCheck
    {
        urls = List.copyOf(urls);
    }
}
