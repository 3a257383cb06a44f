package io.jlvs.cli.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link ControlHandler} on a Unix domain socket, one connection at a time, on one control thread.
 * <p>
 * The socket file is created with mode 0600 without a moment in which it is reachable with looser permissions: it is
 * bound inside a fresh 0700 directory, restricted there, and renamed into place. A socket file left by a crashed run
 * (nothing answers on it) is replaced; a live one makes {@link #start} refuse. {@link #close()} removes the file,
 * unless something else has replaced it meanwhile.
 */
public final class ControlServer implements AutoCloseable
{
    /** A request is one short line; anything longer is not a jlvs client. */
    public static final int MAX_REQUEST_BYTES = 1024;
    /** The body of a request that takes one ({@code restore}): about 20 000 ipvsadm rules. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** What an answer that reports a failure starts with. */
    public static final String ERROR_PREFIX = "error: ";
    /** A client that neither sends its line nor reads its answer within this long is dropped. */
    private static final long CLIENT_IO_TIMEOUT_MS = 5_000;
    private static final long JOIN_TIMEOUT_MS = 2_000;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final String TEMPORARY_DIRECTORY_PREFIX = ".jlvs-control-";
    private static final String TEMPORARY_SOCKET_NAME = "s";
    private static final char NEWLINE = '\n';

    private final Path path;
    private final ControlHandler handler;
    private final ServerSocketChannel channel;
    private final Object fileKey;
    private final Thread thread;
    private volatile boolean closed;

    private ControlServer(
        final Path path, final ControlHandler handler, final ServerSocketChannel channel, final Object fileKey)
    {
        this.path = path;
        this.handler = handler;
        this.channel = channel;
        this.fileKey = fileKey;
        this.thread = new Thread(this::serve, "jlvs-control");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code path} and starts serving {@code handler} on a new control thread.
     *
     * @throws ControlSocketInUseException when another process answers on {@code path}.
     * @throws IOException                 when {@code path} exists and is not a socket, or cannot be bound.
     */
    public static ControlServer start(final Path path, final ControlHandler handler) throws IOException
    {
        Objects.requireNonNull(handler, "handler");
        final Path target = path.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS))
        {
            if (!Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
            {
                throw new IOException(target + " exists and is not a socket; not replacing it");
            }
            if (isLive(target))
            {
                throw new ControlSocketInUseException(target);
            }
            // A stale socket from a run that died without cleaning up: bind() below replaces it.
        }
        final Path parent = target.getParent();
        Files.createDirectories(parent);
        final ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            bindOwnerOnly(channel, target);
            final Object fileKey = fileKey(target);
            final ControlServer server = new ControlServer(target, handler, channel, fileKey);
            server.thread.start();
            return server;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** Whether a process accepts connections on the socket at {@code path}. */
    static boolean isLive(final Path path)
    {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void bindOwnerOnly(final ServerSocketChannel channel, final Path target) throws IOException
    {
        final Path directory = Files.createTempDirectory(target.getParent(), TEMPORARY_DIRECTORY_PREFIX,
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        final Path temporary = directory.resolve(TEMPORARY_SOCKET_NAME);
        try
        {
            channel.bind(UnixDomainSocketAddress.of(temporary));
            Files.setPosixFilePermissions(temporary, OWNER_READ_WRITE);
            // rename() replaces a stale socket at target atomically; the listening socket follows its inode.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
        finally
        {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(directory);
        }
    }

    private static Object fileKey(final Path target) throws IOException
    {
        return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** The socket's path. */
    public Path path()
    {
        return path;
    }

    private void serve()
    {
        try (Selector selector = Selector.open())
        {
            while (!closed)
            {
                final SocketChannel client;
                try
                {
                    client = channel.accept();
                }
                catch (final ClosedChannelException ex)
                {
                    return;
                }
                catch (final IOException ex)
                {
                    if (closed)
                    {
                        return;
                    }
                    System.err.println("jlvs: control socket: accept failed: " + ex.getMessage());
                    continue;
                }
                try (client)
                {
                    answer(client, selector);
                }
                catch (final IOException ex)
                {
                    // One client gone wrong (hung up, too slow, too long) must not stop the control socket.
                    if (!closed)
                    {
                        System.err.println("jlvs: control socket: " + ex.getMessage());
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            System.err.println("jlvs: control socket stopped: " + ex.getMessage());
        }
    }

    private void answer(final SocketChannel client, final Selector selector) throws IOException
    {
        client.configureBlocking(false);
        final SelectionKey key = client.register(selector, SelectionKey.OP_READ);
        try
        {
            final String request = readRequest(client, key, deadline());
            if (request == null)
            {
                // Connected and hung up without a byte: another jlvs checking whether this socket is live.
                return;
            }
            final String response = respond(request);
            write(client, key, ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)), deadline());
        }
        finally
        {
            key.cancel();
            // Flush the cancelled key out of the selector before the next client registers.
            selector.selectNow();
        }
    }

    private static long deadline()
    {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLIENT_IO_TIMEOUT_MS);
    }

    private String respond(final String request)
    {
        try
        {
            final String response = handler.handle(request);
            return response.isEmpty() || response.charAt(response.length() - 1) == NEWLINE ?
                response : response + NEWLINE;
        }
        catch (final IllegalArgumentException ex)
        {
            return ERROR_PREFIX + ex.getMessage() + NEWLINE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return ERROR_PREFIX + "interrupted" + NEWLINE;
        }
        catch (final Exception ex)
        {
            return ERROR_PREFIX + (ex.getMessage() != null ? ex.getMessage() : ex.toString()) + NEWLINE;
        }
    }

    /**
     * The request line without its newline (and, for a request that takes a body, a newline and everything the client
     * sent after it up to the end of its stream), or null when the client hung up without sending anything.
     */
    private String readRequest(final SocketChannel client, final SelectionKey key, final long deadlineNs)
        throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST_BYTES);
        key.interestOps(SelectionKey.OP_READ);
        String line = null;
        int bodyStart = 0;
        int scanned = 0;
        while (true)
        {
            final int read = client.read(buffer);
            if (line == null)
            {
                for (; scanned < buffer.position(); scanned++)
                {
                    if (buffer.get(scanned) == NEWLINE)
                    {
                        line = new String(buffer.array(), 0, scanned, StandardCharsets.UTF_8).trim();
                        bodyStart = scanned + 1;
                        break;
                    }
                }
                if (line != null)
                {
                    if (!handler.takesBody(line))
                    {
                        return line;
                    }
                    final ByteBuffer larger = ByteBuffer.allocate(MAX_REQUEST_BYTES + MAX_BODY_BYTES);
                    buffer.flip();
                    larger.put(buffer);
                    buffer = larger;
                }
            }
            if (read < 0)
            {
                if (line == null)
                {
                    // A client that closes its side without a newline still sent a whole request, without a body.
                    return buffer.position() == 0 ? null :
                        new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
                }
                return line + NEWLINE +
                    new String(buffer.array(), bodyStart, buffer.position() - bodyStart, StandardCharsets.UTF_8);
            }
            if (!buffer.hasRemaining())
            {
                throw new IOException(line == null ? "request longer than " + MAX_REQUEST_BYTES + " bytes, dropped" :
                    "body of '" + line + "' longer than " + MAX_BODY_BYTES + " bytes, dropped");
            }
            if (read == 0)
            {
                await(key, deadlineNs, "request");
            }
        }
    }

    private static void write(
        final SocketChannel client, final SelectionKey key, final ByteBuffer data, final long deadlineNs)
        throws IOException
    {
        key.interestOps(SelectionKey.OP_WRITE);
        while (data.hasRemaining())
        {
            if (client.write(data) == 0)
            {
                await(key, deadlineNs, "answer");
            }
        }
    }

    private static void await(final SelectionKey key, final long deadlineNs, final String what) throws IOException
    {
        final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (leftMs <= 0)
        {
            throw new IOException("client too slow with its " + what + ", dropped after " + CLIENT_IO_TIMEOUT_MS +
                " ms");
        }
        key.selector().select(leftMs);
    }

    /** Stops serving, waits for the control thread and removes the socket file if it is still this server's. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            System.err.println("jlvs: closing the control socket: " + ex.getMessage());
        }
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && Objects.equals(fileKey(path), fileKey))
            {
                Files.delete(path);
            }
        }
        catch (final IOException ex)
        {
            System.err.println("jlvs: removing " + path + ": " + ex.getMessage());
        }
    }
}
