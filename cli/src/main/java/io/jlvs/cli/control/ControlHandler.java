package io.jlvs.cli.control;

/** Answers the requests that arrive on a {@link ControlServer}, on its control thread. */
public interface ControlHandler
{
    /**
     * Answers one request.
     *
     * @param request the request line without its newline.
     * @return the text to send back, ending with a newline.
     * @throws IllegalArgumentException for a request it does not know or cannot do; the message goes back to the
     *                                  client as {@code error: message}. Any other exception is reported the same way.
     */
    String handle(String request) throws Exception;

    /**
     * Whether the request that starts with {@code requestLine} carries a body: the lines the client sends after it,
     * up to the end of its stream ({@code restore}'s rules). {@link #handle} then gets the first line, a newline and
     * the body.
     */
    default boolean takesBody(final String requestLine)
    {
        return false;
    }
}
