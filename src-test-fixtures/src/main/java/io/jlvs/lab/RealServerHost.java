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
 * HTTP answers every request with the server's name and a newline, except {@code GET /bytes/N}, which answers
 * {@code N} bytes (at most {@link #MAX_DOWNLOAD_BYTES}; byte {@code i} of the body is {@code i mod 256}, so a test can
 * check what arrived), and {@code /received}, which answers the name, a space and the number of request body bytes
 * it read. Request bodies are read whole and discarded.
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
    private static final int HTTP_BAD_REQUEST = 400;
    /** The download path's prefix; the rest of the path is the body length in decimal. */
    static final String BYTES_PATH = "/bytes/";
    /** Answers with how much request body arrived: what an upload test checks. */
    static final String RECEIVED_PATH = "/received";
    /** Bounds a download: enough for any lab transfer, and a typo cannot make a server stream for minutes. */
    static final int MAX_DOWNLOAD_BYTES = 64 << 20;
    /** Digits of {@link #MAX_DOWNLOAD_BYTES}; a longer number is refused before it can overflow an int. */
    private static final int MAX_DOWNLOAD_DIGITS = Integer.toString(MAX_DOWNLOAD_BYTES).length();
    /** One write of a download; 64 KiB is a multiple of 256, so every chunk carries the same {@code i mod 256}. */
    private static final int DOWNLOAD_CHUNK_BYTES = 64 * 1024;
    private static final byte[] DOWNLOAD_CHUNK = downloadChunk();

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
            final long received;
            try (InputStream request = exchange.getRequestBody())
            {
                // counted, not kept: an upload test sends megabytes
                received = request.transferTo(OutputStream.nullOutputStream());
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            if (HEAD.equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(HTTP_OK, NO_BODY);
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            if (path.startsWith(BYTES_PATH))
            {
                download(exchange, path.substring(BYTES_PATH.length()));
                return;
            }
            final byte[] body = RECEIVED_PATH.equals(path) ?
                (name + " " + received + "\n").getBytes(StandardCharsets.US_ASCII) : httpBody;
            send(exchange, HTTP_OK, body);
        }
    }

    /** Answers {@code length} (decimal text) bytes of the {@code i mod 256} pattern, or 400 when it is no length. */
    private static void download(final HttpExchange exchange, final String length) throws IOException
    {
        final int bytes = parseLength(length);
        if (bytes < 0)
        {
            send(exchange, HTTP_BAD_REQUEST, ("expected " + BYTES_PATH + "N with N in 0.." + MAX_DOWNLOAD_BYTES +
                "\n").getBytes(StandardCharsets.US_ASCII));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        // 0 would mean "chunked" to the JDK server; NO_BODY sends Content-Length: 0
        exchange.sendResponseHeaders(HTTP_OK, bytes == 0 ? NO_BODY : bytes);
        try (OutputStream response = exchange.getResponseBody())
        {
            for (int sent = 0; sent < bytes; sent += DOWNLOAD_CHUNK_BYTES)
            {
                response.write(DOWNLOAD_CHUNK, 0, Math.min(DOWNLOAD_CHUNK_BYTES, bytes - sent));
            }
        }
    }

    private static void send(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream response = exchange.getResponseBody())
        {
            response.write(body);
        }
    }

    /** The length a download path asks for, or -1 when it is not a decimal number in 0..{@link #MAX_DOWNLOAD_BYTES}. */
    static int parseLength(final String text)
    {
        if (text.isEmpty() || text.length() > MAX_DOWNLOAD_DIGITS)
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_DOWNLOAD_BYTES ? value : -1;
    }

    private static byte[] downloadChunk()
    {
        final byte[] chunk = new byte[DOWNLOAD_CHUNK_BYTES];
        for (int i = 0; i < chunk.length; i++)
        {
            chunk[i] = (byte)i;
        }
        return chunk;
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
