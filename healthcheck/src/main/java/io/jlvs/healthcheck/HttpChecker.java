package io.jlvs.healthcheck;

import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.UrlCheck;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * keepalived's {@code HTTP_GET} and, over TLS, {@code SSL_GET}: the attempt passes when every {@code url} answers, on a
 * connection of its own, with an accepted status code and, when a {@code digest} is given, a body whose MD5 matches.
 * <p>
 * The request is keepalived's, byte for byte: {@code GET path HTTP/1.0} (or 1.1), {@code User-Agent:
 * KeepAliveClient}, {@code Connection: close} for {@code 1.0C} and {@code 1.1}, and {@code Host:} the virtual host or
 * else {@code address:port}. SSL_GET accepts any certificate and sends the virtual host as SNI only with
 * {@code enable_sni}.
 * <p>
 * One difference in pacing: keepalived fetches one url per {@code delay_loop} tick, round robin; jlvs fetches all of
 * them in one attempt, so that one attempt is one verdict on the server.
 */
public final class HttpChecker implements Checker
{
    private static final String HTTP_1_1 = "1.1";
    private static final String HTTP_1_0_CLOSE = "1.0C";

    private final HttpGetCheck config;

    public HttpChecker(final HttpGetCheck config)
    {
        this.config = config;
    }

    @Override
    public CheckOutcome check()
    {
        for (final UrlCheck url : config.urls())
        {
            final CheckOutcome outcome = fetch(url);
            if (!outcome.passed())
            {
                return outcome;
            }
        }
        return CheckOutcome.pass();
    }

    /** The request keepalived sends for {@code url}. */
    String request(final UrlCheck url)
    {
        final StringBuilder request = new StringBuilder(128)
            .append("GET ").append(url.path()).append(" HTTP/1.").append(HTTP_1_1.equals(config.httpProtocol()) ? 1 : 0)
            .append("\r\nUser-Agent: KeepAliveClient\r\n");
        if (HTTP_1_1.equals(config.httpProtocol()) || HTTP_1_0_CLOSE.equals(config.httpProtocol()))
        {
            request.append("Connection: close\r\n");
        }
        request.append("Host: ").append(url.virtualHost() != null ? url.virtualHost() :
            Endpoints.describe(config.connection())).append("\r\n\r\n");
        return request.toString();
    }

    private CheckOutcome fetch(final UrlCheck url)
    {
        final String what = (config.ssl() ? "SSL_GET " : "HTTP_GET ") + Endpoints.describe(config.connection()) +
            url.path();
        try (Socket socket = open(url))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(request(url).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            final HttpResponseReader.Response response =
                HttpResponseReader.read(socket.getInputStream(), url.digest() != null);
            if (response == null)
            {
                return CheckOutcome.fail(what + ": no response received");
            }
            if (!url.accepts(response.statusCode()))
            {
                return CheckOutcome.fail(what + ": status code " + response.statusCode() + " not in " +
                    url.statusCodes());
            }
            if (url.digest() != null && !url.digest().equals(response.digest()))
            {
                return CheckOutcome.fail(what + ": MD5 digest " + response.digest() + " is not " + url.digest());
            }
            return CheckOutcome.pass();
        }
        catch (final SocketTimeoutException ex)
        {
            return CheckOutcome.fail(what + ": timed out");
        }
        catch (final IOException ex)
        {
            return CheckOutcome.fail(what + ": " + ex.getMessage());
        }
    }

    private Socket open(final UrlCheck url) throws IOException
    {
        final Socket plain = Endpoints.connect(config.connection());
        if (!config.ssl())
        {
            return plain;
        }
        try
        {
            final SSLSocket tls = (SSLSocket)TrustAnyCertificate.socketFactory().createSocket(plain,
                Endpoints.inet(config.connection().connectIp()).getHostAddress(), config.connection().connectPort(),
                true);
            final SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(serverNames(url));
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        }
        catch (final IOException | RuntimeException ex)
        {
            plain.close();
            throw ex;
        }
    }

    /** The SNI to send: the virtual host with {@code enable_sni}, else none (an address is never an SNI name). */
    private List<SNIServerName> serverNames(final UrlCheck url)
    {
        if (!config.enableSni() || url.virtualHost() == null)
        {
            return List.of();
        }
        try
        {
            return List.of(new SNIHostName(url.virtualHost()));
        }
        catch (final IllegalArgumentException ex)
        {
            // Not a DNS name (an address, a name with a port): TLS has no way to send it.
            return List.of();
        }
    }

    @Override
    public String toString()
    {
        return (config.ssl() ? "SSL_GET " : "HTTP_GET ") + Endpoints.describe(config.connection());
    }
}
