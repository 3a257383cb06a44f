package io.jlvs.cli.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Sends one request to a {@link ControlServer} and reads its whole answer: what {@code jlvs list} and the others do. */
public final class ControlClient
{
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    private ControlClient()
    {
    }

    /**
     * @param request   the request line, without a newline; for a request that takes a body, the line, a newline and
     *                  the body. The client ends its stream after it, which ends a body.
     * @param timeoutMs how long the whole exchange may take.
     * @return the answer, as the server sent it (an error answer starts with {@link ControlServer#ERROR_PREFIX}).
     * @throws IOException when nothing serves {@code path}, or the server does not answer in time.
     */
    public static String request(final Path path, final String request, final long timeoutMs) throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            Selector selector = Selector.open())
        {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            final SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            final ByteBuffer out = ByteBuffer.wrap((request.endsWith("\n") ? request : request + '\n')
                .getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining())
            {
                if (channel.write(out) == 0)
                {
                    await(key, deadlineNs, timeoutMs);
                }
            }
            // The end of a body; a one-line request is already whole.
            channel.shutdownOutput();
            key.interestOps(SelectionKey.OP_READ);
            final ByteArrayOutputStream answer = new ByteArrayOutputStream();
            final ByteBuffer in = ByteBuffer.allocate(READ_CHUNK_BYTES);
            while (true)
            {
                in.clear();
                final int read = channel.read(in);
                if (read < 0)
                {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                if (read == 0)
                {
                    await(key, deadlineNs, timeoutMs);
                }
                answer.write(in.array(), 0, read);
            }
        }
    }

    private static void await(final SelectionKey key, final long deadlineNs, final long timeoutMs) throws IOException
    {
        final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (leftMs <= 0)
        {
            throw new IOException("no answer on the control socket within " + timeoutMs + " ms");
        }
        key.selector().select(leftMs);
    }
}
