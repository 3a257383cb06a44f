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

/**
 * One HTTP/1.1 connection from a lab client, opened inside the client's namespace, on which {@link #get} sends any
 * number of requests: what a browser's keep-alive connection looks like to a director.
 * <p>
 * Deliberately minimal: GET only, and responses must carry Content-Length (the lab's servers always send it).
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

    /** Sends {@code GET path} on this connection and returns the response body. */
    public String get(final String path) throws IOException
    {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: jlvs-lab\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();

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
        return new String(body, StandardCharsets.UTF_8);
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
