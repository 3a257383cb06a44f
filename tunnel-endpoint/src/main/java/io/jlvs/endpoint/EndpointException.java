package io.jlvs.endpoint;

/** The tunnel endpoint could not start: the message says what failed, the errno and what to do about it. */
public final class EndpointException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public EndpointException(final String message)
    {
        super(message);
    }
}
