package io.jlvs.healthcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jlvs.config.CheckConnection;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.StatusCodeRange;
import io.jlvs.config.UrlCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpCheckerTest
{
    static final List<StatusCodeRange> DEFAULT_CODES = List.of(new StatusCodeRange(200, 299));
    private static final byte[] HELLO = "hello, keepalived\n".getBytes(StandardCharsets.US_ASCII);

    /** What the server saw of each request: request line's protocol, Host, User-Agent, Connection. */
    record Seen(String protocol, String host, String userAgent, String connection)
    {
    }

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> reply(exchange, 200, HELLO));
        server.createContext("/unavailable", exchange -> reply(exchange, 503, HELLO));
        server.createContext("/chunked", exchange ->
        {
            record(exchange);
            // Length 0 asks com.sun.net.httpserver for a chunked body on an HTTP/1.1 exchange.
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(HELLO);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer()
    {
        server.stop(0);
    }

    private void reply(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        record(exchange);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    private void record(final HttpExchange exchange)
    {
        seen.add(new Seen(exchange.getProtocol(), exchange.getRequestHeaders().getFirst("Host"),
            exchange.getRequestHeaders().getFirst("User-Agent"), exchange.getRequestHeaders().getFirst("Connection")));
    }

    static HttpGetCheck http(final boolean ssl, final int port, final String protocol, final UrlCheck... urls)
    {
        return new HttpGetCheck("test.conf", 1, ssl,
            new CheckConnection(TcpCheckerTest.LOOPBACK, port, 0, 0, TcpCheckerTest.CONNECT_TIMEOUT_MS),
            TcpCheckerTest.TIMING, List.of(urls), protocol, false);
    }

    static UrlCheck url(final String path)
    {
        return new UrlCheck(path, DEFAULT_CODES, null, null);
    }

    static String md5(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private HttpChecker checker(final String protocol, final UrlCheck... urls)
    {
        return new HttpChecker(http(false, server.getAddress().getPort(), protocol, urls));
    }

    @Test
    void passesOnA2xxStatusByDefault()
    {
        assertTrue(checker("1.0", url("/hello")).check().passed());
    }

    @Test
    void failsOnAStatusOutsideTheAcceptedRanges()
    {
        final CheckOutcome outcome = checker("1.0", url("/unavailable")).check();
        assertFalse(outcome.passed());
        assertTrue(outcome.detail().contains("status code 503"), outcome.detail());
    }

    @Test
    void acceptsAStatusInsideAConfiguredRange()
    {
        final UrlCheck accepts5xx = new UrlCheck("/unavailable",
            List.of(new StatusCodeRange(200, 200), new StatusCodeRange(500, 503)), null, null);
        assertTrue(checker("1.0", accepts5xx).check().passed());
        final UrlCheck only200 = new UrlCheck("/hello", List.of(new StatusCodeRange(201, 299)), null, null);
        assertFalse(checker("1.0", only200).check().passed());
    }

    @Test
    void failsWhenAnyUrlFails()
    {
        assertFalse(checker("1.0", url("/hello"), url("/unavailable")).check().passed());
        assertTrue(checker("1.0", url("/hello"), url("/hello")).check().passed());
    }

    @Test
    void passesWhenTheBodyDigestMatchesAndFailsWhenItDoesNot() throws Exception
    {
        final UrlCheck matching = new UrlCheck("/hello", DEFAULT_CODES, md5(HELLO), null);
        assertTrue(checker("1.0", matching).check().passed());
        final UrlCheck other = new UrlCheck("/hello", DEFAULT_CODES, md5("something else".getBytes()), null);
        final CheckOutcome outcome = checker("1.0", other).check();
        assertFalse(outcome.passed());
        assertTrue(outcome.detail().contains("MD5 digest " + md5(HELLO)), outcome.detail());
    }

    @Test
    void digestCoversTheRawChunkedBodyAsKeepalivedComputesIt() throws Exception
    {
        final String hexLength = Integer.toHexString(HELLO.length);
        final byte[] chunked = (hexLength + "\r\n" + new String(HELLO, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        assertTrue(checker("1.1", new UrlCheck("/chunked", DEFAULT_CODES, md5(chunked), null)).check().passed());
        assertFalse(checker("1.1", new UrlCheck("/chunked", DEFAULT_CODES, md5(HELLO), null)).check().passed());
    }

    @Test
    void sendsTheVirtualHostAsHostHeader()
    {
        final UrlCheck withHost = new UrlCheck("/hello", DEFAULT_CODES, null, "www.example.test");
        assertTrue(checker("1.0", withHost).check().passed());
        assertEquals("www.example.test", seen.get(0).host());
    }

    @Test
    void sendsAddressAndPortAsHostWithoutVirtualHost()
    {
        assertTrue(checker("1.0", url("/hello")).check().passed());
        assertEquals("127.0.0.1:" + server.getAddress().getPort(), seen.get(0).host());
        assertEquals("KeepAliveClient", seen.get(0).userAgent());
    }

    @Test
    void speaksTheConfiguredHttpProtocol()
    {
        assertTrue(checker("1.0", url("/hello")).check().passed());
        assertTrue(checker("1.0C", url("/hello")).check().passed());
        assertTrue(checker("1.1", url("/hello")).check().passed());
        assertEquals(new Seen("HTTP/1.0", "127.0.0.1:" + server.getAddress().getPort(), "KeepAliveClient", null),
            seen.get(0));
        assertEquals("HTTP/1.0", seen.get(1).protocol());
        assertEquals("close", seen.get(1).connection());
        assertEquals("HTTP/1.1", seen.get(2).protocol());
        assertEquals("close", seen.get(2).connection());
    }

    @Test
    void requestIsKeepalivedsByteForByte()
    {
        final HttpChecker checker = new HttpChecker(http(false, 8080, "1.1", url("/health")));
        assertEquals("GET /health HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n" +
            "Host: 127.0.0.1:8080\r\n\r\n", checker.request(url("/health")));
    }

    @Test
    void failsWhenNothingListens() throws IOException
    {
        final int port = server.getAddress().getPort();
        server.stop(0);
        assertFalse(new HttpChecker(http(false, port, "1.0", url("/hello"))).check().passed());
    }
}
