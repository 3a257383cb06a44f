package io.jlvs.cli.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlServerTest
{
    private static final long TIMEOUT_MS = 5_000;

    @TempDir
    Path directory;

    @Test
    void answersOneRequestLineAndClosesTheConnection() throws IOException
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request ->
        {
            seen.add(request);
            return "answer to " + request + "\nsecond line\n";
        }))
        {
            assertEquals("answer to list stats\nsecond line\n", ControlClient.request(path, "list stats", TIMEOUT_MS));
            assertEquals("answer to list\nsecond line\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
        assertEquals(List.of("list stats", "list"), seen);
    }

    @Test
    void aRequestThatTakesABodyGetsEverythingTheClientSentUpToItsEndOfStream() throws IOException
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Path path = directory.resolve("control.sock");
        final String body = "-A -t 198.18.0.100:80 -s rr\n".repeat(100);
        try (ControlServer ignored = ControlServer.start(path, new ControlHandler()
        {
            @Override
            public String handle(final String request)
            {
                seen.add(request);
                return "ok\n";
            }

            @Override
            public boolean takesBody(final String requestLine)
            {
                return "restore".equals(requestLine);
            }
        }))
        {
            // Longer than a request line may be: only a body can carry it.
            assertTrue(body.length() > ControlServer.MAX_REQUEST_BYTES);
            assertEquals("ok\n", ControlClient.request(path, "restore\n" + body, TIMEOUT_MS));
            assertEquals("ok\n", ControlClient.request(path, "list\nignored", TIMEOUT_MS));
        }
        assertEquals(List.of("restore\n" + body, "list"), seen);
    }

    @Test
    void aConnectionClosedWithoutARequestIsNotHandled() throws IOException
    {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request ->
        {
            seen.add(request);
            return "ok\n";
        }))
        {
            // What a second jlvs does to tell a live socket from a stale one.
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                probe.connect(UnixDomainSocketAddress.of(path));
            }

            assertEquals("ok\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
        assertEquals(List.of("list"), seen);
    }

    @Test
    void answersAnErrorLineWhenTheHandlerRefusesTheRequest() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request ->
        {
            throw new IllegalArgumentException("unknown request '" + request + "'");
        }))
        {
            assertEquals("error: unknown request 'bogus'\n", ControlClient.request(path, "bogus", TIMEOUT_MS));
        }
    }

    @Test
    void addsTheMissingNewlineToAnAnswer() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request -> "ok"))
        {
            assertEquals("ok\n", ControlClient.request(path, "reload", TIMEOUT_MS));
        }
    }

    @Test
    void socketFileIsReadableAndWritableByItsOwnerOnly() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request -> "ok\n"))
        {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(path));
            assertEquals(List.of(path), listDirectory(), "no temporary files left beside the socket");
        }
    }

    @Test
    void createsMissingParentDirectories() throws IOException
    {
        final Path path = directory.resolve("run/jlvs/control.sock");
        try (ControlServer ignored = ControlServer.start(path, request -> "ok\n"))
        {
            assertEquals("ok\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
    }

    @Test
    void replacesAStaleSocketFileLeftByACrashedRun() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            crashed.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path), "closing a Unix socket leaves its file, as a crash does");

        try (ControlServer ignored = ControlServer.start(path, request -> "fresh\n"))
        {
            assertEquals("fresh\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
    }

    @Test
    void refusesToStartWhereAnotherServerAnswers() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer first = ControlServer.start(path, request -> "first\n"))
        {
            final ControlSocketInUseException error = assertThrows(ControlSocketInUseException.class,
                () -> ControlServer.start(path, request -> "second\n"));

            assertTrue(error.getMessage().contains(path.toString()), error.getMessage());
            assertEquals("first\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
    }

    @Test
    void refusesToReplaceAFileThatIsNotASocket() throws IOException
    {
        final Path path = directory.resolve("keepalived.conf");
        Files.writeString(path, "precious");

        final IOException error = assertThrows(IOException.class,
            () -> ControlServer.start(path, request -> "ok\n"));

        assertTrue(error.getMessage().contains("not a socket"), error.getMessage());
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void closeRemovesTheSocketFile() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        final ControlServer server = ControlServer.start(path, request -> "ok\n");

        server.close();

        assertFalse(Files.exists(path));
        assertThrows(IOException.class, () -> ControlClient.request(path, "list", TIMEOUT_MS));
    }

    @Test
    void closeLeavesASocketFileThatAnotherServerPutInPlace() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        final ControlServer old = ControlServer.start(path, request -> "old\n");
        Files.delete(path);
        try (ControlServer current = ControlServer.start(path, request -> "current\n"))
        {
            old.close();

            assertEquals("current\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
    }

    @Test
    void dropsARequestLongerThanTheLimitAndKeepsServing() throws IOException
    {
        final Path path = directory.resolve("control.sock");
        try (ControlServer ignored = ControlServer.start(path, request -> "ok\n"))
        {
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                client.connect(UnixDomainSocketAddress.of(path));
                final byte[] longLine = "x".repeat(ControlServer.MAX_REQUEST_BYTES * 2).getBytes(StandardCharsets.UTF_8);
                client.write(ByteBuffer.wrap(longLine));
                final ByteBuffer answer = ByteBuffer.allocate(64);
                int read;
                do
                {
                    answer.clear();
                    read = readOrReset(client, answer);
                    assertTrue(read <= 0, "no answer to an overlong request");
                }
                while (read > 0);
            }

            assertEquals("ok\n", ControlClient.request(path, "list", TIMEOUT_MS));
        }
    }

    private static int readOrReset(final SocketChannel client, final ByteBuffer answer)
    {
        try
        {
            return client.read(answer);
        }
        catch (final IOException reset)
        {
            // The server closed with unread bytes in its receive queue: the peer sees a reset, which is a drop too.
            return -1;
        }
    }

    private List<Path> listDirectory() throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.toList();
        }
    }
}
