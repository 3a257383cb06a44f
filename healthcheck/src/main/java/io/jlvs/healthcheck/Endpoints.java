package io.jlvs.healthcheck;

import io.jlvs.config.CheckConnection;
import io.jlvs.scheduler.Ipv4;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/** Opens the TCP connection a connecting checker needs: bound to {@code bindto:bind_port}, within the timeout. */
final class Endpoints
{
    private static final int BYTE_MASK = 0xFF;
    private static final int BITS_PER_BYTE = 8;
    private static final int IPV4_BYTES = 4;
    /** keepalived's floor for {@code connect_timeout}: one second (a 0 would make Java wait forever). */
    private static final long MIN_TIMEOUT_MS = 1_000;

    private Endpoints()
    {
    }

    /** A host-byte-order IPv4 address as Java's. */
    static InetAddress inet(final int address)
    {
        final byte[] bytes = new byte[IPV4_BYTES];
        for (int i = 0; i < IPV4_BYTES; i++)
        {
            bytes[i] = (byte)((address >>> (BITS_PER_BYTE * (IPV4_BYTES - 1 - i))) & BYTE_MASK);
        }
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            // getByAddress only refuses arrays of the wrong length.
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Creates, binds and connects a socket on the calling thread (and so in its network namespace); its reads time
     * out after the connect timeout too, as keepalived applies {@code connect_timeout} to every step.
     */
    static Socket connect(final CheckConnection connection) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            if (connection.bindTo() != 0 || connection.bindPort() != 0)
            {
                socket.bind(new InetSocketAddress(inet(connection.bindTo()), connection.bindPort()));
            }
            final int timeoutMs = timeoutMs(connection);
            socket.connect(new InetSocketAddress(inet(connection.connectIp()), connection.connectPort()), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            return socket;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** {@code 10.0.0.2:80}. */
    static String describe(final CheckConnection connection)
    {
        return Ipv4.toString(connection.connectIp()) + ':' + connection.connectPort();
    }

    private static int timeoutMs(final CheckConnection connection)
    {
        final long ms = connection.connectTimeoutMs() <= 0 ? MIN_TIMEOUT_MS : connection.connectTimeoutMs();
        return (int)Math.min(ms, Integer.MAX_VALUE);
    }
}
