package io.jlvs.lab;

import java.io.IOException;

/**
 * Opens a socket (or anything holding one) on the calling thread while it is inside a lab namespace, so the socket
 * belongs to that namespace for life; the thread leaves right after. Only socket calls belong in the step: a thread
 * or process started from inside would pin the namespace.
 */
final class NamespaceSockets
{
    private NamespaceSockets()
    {
    }

    /** A socket-opening step that may throw. */
    @FunctionalInterface
    interface Step<T>
    {
        T open() throws IOException;
    }

    static <T> T open(final String namespace, final Step<T> step) throws IOException
    {
        try
        {
            return NetworkNamespace.call(namespace, step::open);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IOException("in namespace " + namespace + ": " + ex, ex);
        }
    }
}
