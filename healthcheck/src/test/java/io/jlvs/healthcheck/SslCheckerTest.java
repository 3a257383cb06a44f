package io.jlvs.healthcheck;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.jlvs.config.CheckConnection;
import io.jlvs.config.HttpGetCheck;
import io.jlvs.config.UrlCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSL_GET against an HTTPS server whose self-signed certificate keytool makes for this run. */
class SslCheckerTest
{
    private static final char[] PASSWORD = "jlvs-test".toCharArray();
    private static final long KEYTOOL_TIMEOUT_S = 60;
    private static final byte[] BODY = "tls ok\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    private static HttpsServer https;
    private static HttpServer plain;
    private static SSLContext serverContext;
    private static final List<List<SNIServerName>> serverNames = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception
    {
        final Path keystore = dir.resolve("server.p12");
        final Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=real-server.jlvs.test", "-storetype", "PKCS12", "-keystore", keystore.toString(),
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
            .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertTrue(keytool.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, keytool.exitValue(), Files.readString(dir.resolve("keytool.log")));

        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            store.load(in, PASSWORD);
        }
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);

        serverContext = context;
        https = startHttps();
        plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plain.createContext("/", exchange ->
        {
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(BODY);
            }
        });
        plain.start();
    }

    /** An HTTPS server on a port of its own: the client's TLS session cache (keyed by port) starts empty for it. */
    private static HttpsServer startHttps() throws Exception
    {
        final HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange ->
        {
            serverNames.add(((ExtendedSSLSession)((HttpsExchange)exchange).getSSLSession()).getRequestedServerNames());
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(BODY);
            }
        });
        server.start();
        return server;
    }

    @AfterAll
    static void stopServers()
    {
        if (https != null)
        {
            https.stop(0);
        }
        if (plain != null)
        {
            plain.stop(0);
        }
    }

    private static HttpGetCheck ssl(final int port, final boolean sni, final UrlCheck url)
    {
        return new HttpGetCheck("test.conf", 1, true,
            new CheckConnection(TcpCheckerTest.LOOPBACK, port, 0, 0, TcpCheckerTest.CONNECT_TIMEOUT_MS),
            TcpCheckerTest.TIMING, List.of(url), "1.0", sni);
    }

    @Test
    void passesOverTlsWithASelfSignedCertificateAndChecksTheDigest() throws Exception
    {
        final UrlCheck url = new UrlCheck("/health", HttpCheckerTest.DEFAULT_CODES, HttpCheckerTest.md5(BODY), null);
        assertTrue(new HttpChecker(ssl(https.getAddress().getPort(), false, url)).check().passed());
        final UrlCheck wrong = new UrlCheck("/health", HttpCheckerTest.DEFAULT_CODES,
            HttpCheckerTest.md5("other".getBytes(StandardCharsets.US_ASCII)), null);
        assertFalse(new HttpChecker(ssl(https.getAddress().getPort(), false, wrong)).check().passed());
    }

    @Test
    void failsAgainstAServerThatDoesNotSpeakTls()
    {
        final CheckOutcome outcome =
            new HttpChecker(ssl(plain.getAddress().getPort(), false, HttpCheckerTest.url("/"))).check();
        assertFalse(outcome.passed());
    }

    @Test
    void httpGetFailsAgainstATlsServer()
    {
        final HttpGetCheck http = HttpCheckerTest.http(false, https.getAddress().getPort(), "1.0",
            HttpCheckerTest.url("/"));
        assertFalse(new HttpChecker(http).check().passed());
    }

    @Test
    void sendsTheVirtualHostAsSniOnlyWithEnableSni() throws Exception
    {
        final UrlCheck url = new UrlCheck("/", HttpCheckerTest.DEFAULT_CODES, null, "www.jlvs.test");
        // A fresh server for each case: a resumed TLS session would report the names of the session it resumes.
        for (final boolean sni : new boolean[] {false, true})
        {
            final HttpsServer server = startHttps();
            try
            {
                serverNames.clear();
                assertTrue(new HttpChecker(ssl(server.getAddress().getPort(), sni, url)).check().passed());
                assertEquals(1, serverNames.size());
                assertEquals(sni ? List.of("www.jlvs.test") : List.of(), names(serverNames.get(0)));
            }
            finally
            {
                server.stop(0);
            }
        }
    }

    private static List<String> names(final List<SNIServerName> names)
    {
        return names.stream().map(name -> new String(name.getEncoded(), StandardCharsets.US_ASCII)).toList();
    }
}
