package io.jlvs.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One real server's services: an HTTP/1.1 server on 0.0.0.0:80 and a UDP echo-of-its-name on port 5353, each
 * opened by a thread that entered the server's namespace, each stoppable on its own.
 * <p>
 * The UDP server binds the VIP and the server's own address rather than 0.0.0.0: a wildcard UDP socket answers from
 * the address the route picks (eth0's), and a DR client, which sent to the VIP, would drop that reply. TCP has no
 * such problem: an accepted connection answers from the address it was opened to.
 */
final class RealServerHost
{
    /** Enough for any datagram the tests send; longer ones are truncated, which does not change the answer. */
    private static final int MAX_DATAGRAM_BYTES = 2048;
    /** Listen backlog: dozens of connections may arrive in a burst from a test loop. */
    private static final int HTTP_BACKLOG = 128;
    private static final String HEAD = "HEAD";
    /** {@link HttpExchange#sendResponseHeaders}'s "no body" length. */
    private static final int NO_BODY = -1;
    private static final int HTTP_OK = 200;

    /** The JDK server's switch for TCP_NODELAY, read once when the first server in the JVM is made. */
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static
    {
        // the JDK server writes headers and body separately; with Nagle on, the body waits for the client's delayed
        // ACK (40 ms) on every request of a keep-alive connection after the first few
        if (System.getProperty(NODELAY_PROPERTY) == null)
        {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final String name;
    private final String namespace;
    private final int address;
    private final int vip;
    private final byte[] httpBody;
    private final byte[] udpAnswer;
    private HttpServer http;
    private final List<DatagramSocket> udpSockets = new ArrayList<>();

    RealServerHost(final String name, final String namespace, final int address, final int vip)
    {
        this.name = name;
        this.namespace = namespace;
        this.address = address;
        this.vip = vip;
        this.httpBody = (name + "\n").getBytes(StandardCharsets.US_ASCII);
        this.udpAnswer = name.getBytes(StandardCharsets.US_ASCII);
    }

    String name()
    {
        return name;
    }

    String namespace()
    {
        return namespace;
    }

    int address()
    {
        return address;
    }

    synchronized boolean httpRunning()
    {
        return http != null;
    }

    /** Starts the HTTP server; a no-op when it runs. */
    synchronized void startHttp() throws IOException
    {
        if (http != null)
        {
            return;
        }
        // bound here, inside the namespace; start() below runs outside it, so the dispatcher thread it creates
        // does not pin the namespace (a thread keeps its namespace alive after `ip netns del`)
        final HttpServer server = NamespaceSockets.open(namespace, () ->
            HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), Lab.HTTP_PORT),
                HTTP_BACKLOG));
        server.createContext("/", this::answer);
        server.start();
        http = server;
    }

    /** Stops the HTTP server at once: the port is closed (connections are refused) and open connections dropped. */
    synchronized void stopHttp()
    {
        if (http != null)
        {
            http.stop(0);
            http = null;
        }
    }

    /** Starts the UDP server; a no-op when it runs. */
    synchronized void startUdp() throws IOException
    {
        if (!udpSockets.isEmpty())
        {
            return;
        }
        try
        {
            for (final int bound : new int[] {vip, address})
            {
                final DatagramSocket socket = NamespaceSockets.open(namespace, () -> new DatagramSocket(
                    new InetSocketAddress(InetAddress.getByAddress(LabAddresses.networkOrder(bound)), Lab.UDP_PORT)));
                udpSockets.add(socket);
                final Thread thread = new Thread(() -> serveUdp(socket),
                    name + "-udp-" + LabAddresses.formatIpv4(bound));
                thread.setDaemon(true);
                thread.start();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            stopUdp();
            throw ex;
        }
    }

    /** Stops the UDP server: both sockets close and their threads end. */
    synchronized void stopUdp()
    {
        for (final DatagramSocket socket : udpSockets)
        {
            socket.close();
        }
        udpSockets.clear();
    }

    void close()
    {
        stopHttp();
        stopUdp();
    }

    private void answer(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            try (InputStream request = exchange.getRequestBody())
            {
                request.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            if (HEAD.equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(HTTP_OK, NO_BODY);
                return;
            }
            exchange.sendResponseHeaders(HTTP_OK, httpBody.length);
            try (OutputStream response = exchange.getResponseBody())
            {
                response.write(httpBody);
            }
        }
    }

    private void serveUdp(final DatagramSocket socket)
    {
        final byte[] buffer = new byte[MAX_DATAGRAM_BYTES];
        try
        {
            while (!socket.isClosed())
            {
                final DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                socket.send(new DatagramPacket(udpAnswer, udpAnswer.length, request.getSocketAddress()));
            }
        }
        catch (final SocketException ex)
        {
            // closed by stopUdp(): the normal way out
        }
        catch (final IOException ex)
        {
            if (!socket.isClosed())
            {
                System.err.println("lab: " + name + " UDP server stopped: " + ex);
            }
        }
    }
}
