package io.jlvs.lab;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection from a lab client, opened inside the client's namespace, on which {@link #get} sends any
 * number of requests: what a browser's keep-alive connection looks like to a director.
 * <p>
 * Deliberately minimal: GET, and POST of a generated body, and responses must carry Content-Length (the lab's servers always send it). The
 * read timeout applies to each read, so a long download only fails when it stalls.
 */
public final class KeepAliveClient implements AutoCloseable
{
    /** Connect and read timeouts: a lab answer takes milliseconds; a lost one must fail the test, not hang it. */
    public static final int TIMEOUT_MS = 3000;
    /** Longest status or header line accepted, so a garbage peer cannot make us buffer without bound. */
    private static final int MAX_LINE_BYTES = 8192;
    private static final int MAX_HEADER_LINES = 100;
    private static final String CONTENT_LENGTH = "content-length:";
    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final int STATUS_CODE_START = "HTTP/1.1 ".length();
    private static final int STATUS_CODE_END = STATUS_CODE_START + 3;
    private static final int SUCCESS_MIN = 200;
    private static final int SUCCESS_MAX = 299;
    /** One write of a POST body; a multiple of 256, so every chunk carries the same {@code i mod 256} pattern. */
    private static final int BODY_CHUNK_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    private KeepAliveClient(final Socket socket, final String host) throws IOException
    {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = host;
    }

    /** Connects from inside {@code namespace} to {@code address:port}. */
    static KeepAliveClient open(final String namespace, final int address, final int port) throws IOException
    {
        final InetSocketAddress target =
            new InetSocketAddress(InetAddress.getByAddress(LabAddresses.networkOrder(address)), port);
        final Socket socket = NamespaceSockets.open(namespace, () ->
        {
            final Socket opened = new Socket();
            try
            {
                opened.connect(target, TIMEOUT_MS);
            }
            catch (final IOException ex)
            {
                opened.close();
                throw new IOException("connect from " + namespace + " to " + LabAddresses.formatIpv4(address) +
                    ":" + port + " failed: " + ex.getMessage(), ex);
            }
            return opened;
        });
        try
        {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return new KeepAliveClient(socket, LabAddresses.formatIpv4(address));
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** Sends {@code GET path} on this connection and returns the response body as UTF-8 text. */
    public String get(final String path) throws IOException
    {
        return new String(getBytes(path), StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code GET path} on this connection and returns the response body's bytes (a lab server's
     * {@code /bytes/N} download, say).
     */
    public byte[] getBytes(final String path) throws IOException
    {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: jlvs-lab\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readResponse(path);
    }

    /**
     * Sends {@code POST path} with a body of {@code bodyBytes} bytes (byte {@code i} is {@code i mod 256}), written in
     * 64 KiB pieces as an upload would be, and returns the response body as UTF-8 text (a lab server's
     * {@code /received} answers its name and the byte count). A write has no timeout of its own, so a watchdog
     * closes the connection when one makes no progress for {@link #TIMEOUT_MS}: a stalled upload fails, it never
     * hangs.
     */
    public String post(final String path, final long bodyBytes) throws IOException
    {
        return post(path, bodyBytes, 0);
    }

    /**
     * {@link #post(String, long)}, with the first {@code firstWriteBytes} of the body written on their own right after
     * the headers. Every lab connection has TCP_NODELAY and the headers leave at once, so a first write of at most one
     * MSS leaves as one plain segment of exactly that size, never merged into a GSO super-frame: a full-sized one
     * (1448 bytes with timestamps on a 1500-byte link) is how a test makes sure a full-sized DF packet is sent.
     */
    public String post(final String path, final long bodyBytes, final int firstWriteBytes) throws IOException
    {
        if (firstWriteBytes < 0 || firstWriteBytes > BODY_CHUNK_BYTES)
        {
            throw new IllegalArgumentException("firstWriteBytes must be 0.." + BODY_CHUNK_BYTES + ", firstWriteBytes=" +
                firstWriteBytes);
        }
        final StallWatchdog watchdog = new StallWatchdog(socket, host + path);
        try
        {
            return writePost(path, bodyBytes, firstWriteBytes, watchdog);
        }
        catch (final IOException ex)
        {
            if (watchdog.fired())
            {
                throw new IOException("POST " + path + " to " + host + ": no progress for " + TIMEOUT_MS +
                    " ms, connection closed after " + watchdog.written() + " body bytes", ex);
            }
            throw ex;
        }
        finally
        {
            watchdog.stop();
        }
    }

    private String writePost(
        final String path, final long bodyBytes, final int firstWriteBytes, final StallWatchdog watchdog)
        throws IOException
    {
        if (bodyBytes < 0)
        {
            throw new IllegalArgumentException("bodyBytes must be >= 0, bodyBytes=" + bodyBytes);
        }
        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: jlvs-lab\r\n" +
            "Content-Type: application/octet-stream\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final byte[] chunk = new byte[BODY_CHUNK_BYTES];
        for (int i = 0; i < chunk.length; i++)
        {
            chunk[i] = (byte)i;
        }
        long sent = 0;
        if (firstWriteBytes > 0 && bodyBytes > 0)
        {
            final int length = (int)Math.min(firstWriteBytes, bodyBytes);
            out.write(chunk, 0, length);
            out.flush();
            watchdog.progressed(length);
            sent = length;
        }
        while (sent < bodyBytes)
        {
            // from where the pattern stands, so byte i of the body is i mod 256 whatever the first write's length
            final int from = (int)(sent % 256);
            final int length = (int)Math.min(chunk.length - from, bodyBytes - sent);
            out.write(chunk, from, length);
            watchdog.progressed(length);
            sent += length;
        }
        out.flush();
        return new String(readResponse(path), StandardCharsets.UTF_8);
    }

    private byte[] readResponse(final String path) throws IOException
    {
        final String status = readLine();
        if (!status.startsWith("HTTP/1.") || status.length() < STATUS_CODE_END)
        {
            throw new IOException("not an HTTP status line from " + host + ": '" + status + "'");
        }
        final int code = number(status.substring(STATUS_CODE_START, STATUS_CODE_END), status);
        int contentLength = -1;
        for (int lines = 0; ; lines++)
        {
            if (lines == MAX_HEADER_LINES)
            {
                throw new IOException("more than " + MAX_HEADER_LINES + " header lines from " + host);
            }
            final String header = readLine();
            if (header.isEmpty())
            {
                break;
            }
            if (header.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH))
            {
                contentLength = number(header.substring(CONTENT_LENGTH.length()).trim(), header);
            }
        }
        if (contentLength < 0)
        {
            throw new IOException("response from " + host + " without Content-Length: " + status);
        }
        final byte[] body = in.readNBytes(contentLength);
        if (body.length != contentLength)
        {
            throw new EOFException("connection closed after " + body.length + " of " + contentLength +
                " body bytes from " + host);
        }
        if (code < SUCCESS_MIN || code > SUCCESS_MAX)
        {
            throw new IOException("HTTP " + code + " from " + host + path);
        }
        return body;
    }

    /** The client's TCP port: with the client address, what the director's connection table is keyed on. */
    public int localPort()
    {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /** Closes a socket whose writes made no progress for {@link #TIMEOUT_MS}, from a daemon thread of its own. */
    private static final class StallWatchdog
    {
        /** How often the watchdog looks; a fraction of the timeout, so it fires at most this late. */
        private static final long CHECK_MS = 100;

        private final Socket socket;
        private final Thread thread;
        private volatile long lastProgressNs = System.nanoTime();
        private volatile long written;
        private volatile boolean fired;
        private volatile boolean stopped;

        StallWatchdog(final Socket socket, final String what)
        {
            this.socket = socket;
            this.thread = new Thread(this::watch, "jlvs-lab-upload-watchdog " + what);
            thread.setDaemon(true);
            thread.start();
        }

        void progressed(final int bytes)
        {
            written += bytes;
            lastProgressNs = System.nanoTime();
        }

        long written()
        {
            return written;
        }

        boolean fired()
        {
            return fired;
        }

        void stop()
        {
            stopped = true;
            thread.interrupt();
        }

        private void watch()
        {
            final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (!stopped)
            {
                try
                {
                    Thread.sleep(CHECK_MS);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                if (!stopped && System.nanoTime() - lastProgressNs > timeoutNs)
                {
                    fired = true;
                    try
                    {
                        socket.close();
                    }
                    catch (final IOException ex)
                    {
                        // closing is all it can do; the writer sees the socket closed either way
                    }
                    return;
                }
            }
        }
    }

    private int number(final String text, final String line) throws IOException
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("bad number in '" + line + "' from " + host, ex);
        }
    }

    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection to " + host + " closed mid-response");
            }
            if (b == LF)
            {
                break;
            }
            if (b != CR)
            {
                line.write(b);
            }
            if (line.size() > MAX_LINE_BYTES)
            {
                throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes from " + host);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
