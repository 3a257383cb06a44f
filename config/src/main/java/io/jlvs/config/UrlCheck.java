package io.jlvs.config;

import java.util.List;

/**
 * One {@code url { }} of an {@code HTTP_GET}/{@code SSL_GET} checker: every url must pass for the server to pass.
 *
 * @param path        the request path ({@code path}).
 * @param statusCodes accepted status codes ({@code status_code}); keepalived's default is 200-299.
 * @param digest      MD5 of the body as lower-case hex ({@code digest}, as genhash prints it), or null for none.
 * @param virtualHost the Host header ({@code virtualhost} of the url, else of the checker, real server or virtual
 *                    server), or null to send the connect address.
 */
public record UrlCheck(String path, List<StatusCodeRange> statusCodes, String digest, String virtualHost)
{
    public UrlCheck
    {
        statusCodes = List.copyOf(statusCodes);
    }

    /** Whether a response with this status code passes the status part of the check. */
    public boolean accepts(final int statusCode)
    {
        for (final StatusCodeRange range : statusCodes)
        {
            if (range.contains(statusCode))
            {
                return true;
            }
        }
        return false;
    }
}
