package io.jlvs.healthcheck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads an HTTP response the way keepalived's {@code HTTP_GET} does: the status code from the status line, and the MD5
 * of the body bytes exactly as they arrive after the blank line (no de-chunking; up to {@code Content-Length} when the
 * server sends one), which is what {@code genhash} prints and operators paste into {@code digest}.
 */
final class HttpResponseReader
{
    /** A response whose head does not fit here is not one a health URL sends; the check fails. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Bounds the time one attempt can spend on a server that streams forever (keepalived only has the read timeout). */
    static final long MAX_BODY_BYTES = 64L * 1024 * 1024;
    /** No status line, or one that is not {@code HTTP/x.y NNN}. */
    static final int NO_STATUS = 0;

    private static final int READ_CHUNK = 8 * 1024;
    private static final long NO_CONTENT_LENGTH = -1;
    private static final String CONTENT_LENGTH = "content-length:";
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int STATUS_CODE_DIGITS = 3;
    private static final int DECIMAL = 10;

    /**
     * What came back.
     *
     * @param statusCode    the status line's code, {@link #NO_STATUS} when the head could not be read.
     * @param digest        lower-case hex MD5 of the body, or null when none was asked for.
     * @param bodyBytes     how many body bytes were read.
     */
    record Response(int statusCode, String digest, long bodyBytes)
    {
    }

    private HttpResponseReader()
    {
    }

    /**
     * Reads the whole response from {@code in}.
     *
     * @param withDigest compute the MD5 of the body.
     * @return the response, or null when the connection closed before a complete head arrived (keepalived: "no data
     *         received").
     * @throws IOException on a read error or timeout, or a head or body over the limits.
     */
    static Response read(final InputStream in, final boolean withDigest) throws IOException
    {
        final byte[] head = new byte[MAX_HEAD_BYTES];
        int length = 0;
        int bodyStart = -1;
        while (bodyStart < 0)
        {
            if (length == head.length)
            {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            final int read = in.read(head, length, head.length - length);
            if (read < 0)
            {
                return null;
            }
            final int scanFrom = Math.max(0, length - 3);
            length += read;
            bodyStart = headEnd(head, scanFrom, length);
        }
        final String headText = new String(head, 0, bodyStart, StandardCharsets.ISO_8859_1);
        final int statusCode = statusCode(headText);
        final long contentLength = contentLength(headText);
        final MessageDigest md5 = withDigest ? md5() : null;
        long bodyBytes = 0;
        bodyBytes += consume(md5, head, bodyStart, length - bodyStart, contentLength, bodyBytes);
        final byte[] chunk = new byte[READ_CHUNK];
        while (contentLength == NO_CONTENT_LENGTH || bodyBytes < contentLength)
        {
            final int read = in.read(chunk);
            if (read < 0)
            {
                break;
            }
            bodyBytes += consume(md5, chunk, 0, read, contentLength, bodyBytes);
            if (bodyBytes > MAX_BODY_BYTES)
            {
                throw new IOException("response body longer than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return new Response(statusCode, md5 == null ? null : HexFormat.of().formatHex(md5.digest()), bodyBytes);
    }

    /** Feeds up to the Content-Length into the digest; returns how many bytes counted as body. */
    private static int consume(
        final MessageDigest md5, final byte[] bytes, final int offset, final int count, final long contentLength,
        final long bodySoFar)
    {
        final int take = contentLength == NO_CONTENT_LENGTH ? count :
            (int)Math.min(count, Math.max(0, contentLength - bodySoFar));
        if (md5 != null && take > 0)
        {
            md5.update(bytes, offset, take);
        }
        return take;
    }

    /** Index of the first body byte once the blank line has arrived, else -1. Accepts bare LF line ends too. */
    static int headEnd(final byte[] bytes, final int from, final int length)
    {
        for (int i = from; i < length; i++)
        {
            if (bytes[i] != LF)
            {
                continue;
            }
            if (i + 1 < length && bytes[i + 1] == LF)
            {
                return i + 2;
            }
            if (i + 2 < length && bytes[i + 1] == CR && bytes[i + 2] == LF)
            {
                return i + 3;
            }
        }
        return -1;
    }

    /** {@code HTTP/1.1 200 OK} gives 200; anything else {@link #NO_STATUS}. */
    static int statusCode(final String head)
    {
        if (!head.startsWith("HTTP/"))
        {
            return NO_STATUS;
        }
        final int space = head.indexOf(' ');
        if (space < 0 || space + STATUS_CODE_DIGITS >= head.length())
        {
            return NO_STATUS;
        }
        int code = 0;
        for (int i = space + 1; i <= space + STATUS_CODE_DIGITS; i++)
        {
            final char c = head.charAt(i);
            if (c < '0' || c > '9')
            {
                return NO_STATUS;
            }
            code = code * DECIMAL + (c - '0');
        }
        return code;
    }

    private static long contentLength(final String head)
    {
        for (final String line : head.split("\r?\n"))
        {
            if (line.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH))
            {
                try
                {
                    final long value = Long.parseLong(line.substring(CONTENT_LENGTH.length()).trim());
                    return value >= 0 ? value : NO_CONTENT_LENGTH;
                }
                catch (final NumberFormatException ex)
                {
                    // keepalived reads to the end when it cannot use the header; so do we.
                    return NO_CONTENT_LENGTH;
                }
            }
        }
        return NO_CONTENT_LENGTH;
    }

    private static MessageDigest md5()
    {
        try
        {
            return MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // Every Java platform must provide MD5 (MessageDigest's Javadoc).
            throw new IllegalStateException(ex);
        }
    }
}
