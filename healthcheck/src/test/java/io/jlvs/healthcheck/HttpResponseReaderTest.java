package io.jlvs.healthcheck;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpResponseReaderTest
{
    private static InputStream stream(final String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Hands out at most one byte per read, as a slow server would. */
    private static InputStream trickle(final String text)
    {
        final InputStream in = stream(text);
        return new InputStream()
        {
            @Override
            public int read() throws IOException
            {
                return in.read();
            }

            @Override
            public int read(final byte[] bytes, final int offset, final int length) throws IOException
            {
                return in.read(bytes, offset, Math.min(1, length));
            }
        };
    }

    @Test
    void readsStatusAndDigestOfTheBodyUpToContentLength() throws Exception
    {
        final HttpResponseReader.Response response = HttpResponseReader.read(
            stream("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"), true);
        assertEquals(200, response.statusCode());
        assertEquals(3, response.bodyBytes());
        assertEquals(HttpCheckerTest.md5("abc".getBytes(StandardCharsets.US_ASCII)), response.digest());
    }

    @Test
    void readsToTheEndWithoutContentLengthEvenOneByteAtATime() throws Exception
    {
        final HttpResponseReader.Response response = HttpResponseReader.read(
            trickle("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nnot here\n"), true);
        assertEquals(404, response.statusCode());
        assertEquals(HttpCheckerTest.md5("not here\n".getBytes(StandardCharsets.US_ASCII)), response.digest());
    }

    @Test
    void acceptsBareLineFeeds() throws Exception
    {
        final HttpResponseReader.Response response = HttpResponseReader.read(stream("HTTP/1.0 204 No\n\nbody"), false);
        assertEquals(204, response.statusCode());
        assertNull(response.digest());
        assertEquals(4, response.bodyBytes());
    }

    @Test
    void connectionClosedBeforeTheHeadEndsIsNoResponse() throws Exception
    {
        assertNull(HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-"), true));
        assertNull(HttpResponseReader.read(stream(""), true));
    }

    @Test
    void malformedStatusLineHasNoStatus() throws Exception
    {
        assertEquals(HttpResponseReader.NO_STATUS, HttpResponseReader.read(stream("hello\r\n\r\n"), false).statusCode());
        assertEquals(HttpResponseReader.NO_STATUS,
            HttpResponseReader.read(stream("HTTP/1.1 2x0 OK\r\n\r\n"), false).statusCode());
        assertEquals(HttpResponseReader.NO_STATUS, HttpResponseReader.read(stream("HTTP/1.1 20\r\n\r\n"), false)
            .statusCode());
    }

    @Test
    void headOverTheLimitFails()
    {
        final String longHead = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(HttpResponseReader.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThrows(IOException.class, () -> HttpResponseReader.read(stream(longHead), false));
    }
}
