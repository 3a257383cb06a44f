package io.jlvs.dataplane.transport;

/**
 * A transport could not be opened or configured (start-up only, never on a per-frame path). The message names the
 * interface, the call that failed and the errno, and says what usually causes it.
 */
public final class TransportException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    public TransportException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    public TransportException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.errno = 0;
    }

    /** The errno of the failed call, 0 when the failure was not a system call's. */
    public int errno()
    {
        return errno;
    }
}
