package io.jlvs.healthcheck;

import io.jlvs.config.CheckConnection;
import io.jlvs.config.CheckTiming;
import io.jlvs.config.TcpCheck;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpCheckerTest
{
    static final int LOOPBACK = Ipv4.parse("127.0.0.1");
    /** A second loopback address: all of 127/8 is local on Linux. */
    static final int LOOPBACK_2 = Ipv4.parse("127.0.0.2");
    static final long CONNECT_TIMEOUT_MS = 2_000;
    static final CheckTiming TIMING = new CheckTiming(1, 1_000, 5_000, 0, false);

    static TcpCheck tcp(final int port, final int bindTo)
    {
        return new TcpCheck("test.conf", 1, new CheckConnection(LOOPBACK, port, bindTo, 0, CONNECT_TIMEOUT_MS),
            TIMING);
    }

    @Test
    void passesWhenTheServerAcceptsTheConnection() throws IOException
    {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            assertTrue(new TcpChecker(tcp(server.getLocalPort(), 0)).check().passed());
        }
    }

    @Test
    void failsWhenNothingListens() throws IOException
    {
        final int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = server.getLocalPort();
        }
        final CheckOutcome outcome = new TcpChecker(tcp(port, 0)).check();
        assertFalse(outcome.passed());
        assertTrue(outcome.detail().contains("127.0.0.1:" + port), outcome.detail());
    }

    @Test
    void connectsFromTheBindtoAddress() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final CompletableFuture<InetAddress> peer = CompletableFuture.supplyAsync(() ->
            {
                try (Socket accepted = server.accept())
                {
                    return accepted.getInetAddress();
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertTrue(new TcpChecker(tcp(server.getLocalPort(), LOOPBACK_2)).check().passed());
            assertEquals("127.0.0.2", peer.get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS).getHostAddress());
        }
    }

    @Test
    void connectsToConnectIpAndConnectPort() throws IOException
    {
        try (ServerSocket server = new ServerSocket())
        {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
            final TcpCheck check = new TcpCheck("test.conf", 1,
                new CheckConnection(Ipv4.parse("127.0.0.3"), server.getLocalPort(), 0, 0, CONNECT_TIMEOUT_MS), TIMING);
            assertTrue(new TcpChecker(check).check().passed());
            final TcpCheck wrongAddress = new TcpCheck("test.conf", 1,
                new CheckConnection(Ipv4.parse("127.0.0.4"), server.getLocalPort(), 0, 0, CONNECT_TIMEOUT_MS), TIMING);
            assertFalse(new TcpChecker(wrongAddress).check().passed());
        }
    }
}
