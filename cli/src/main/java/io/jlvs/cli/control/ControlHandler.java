package io.jlvs.cli.control;

/** Answers the requests that arrive on a {@link ControlServer}, on its control thread. */
@FunctionalInterface
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
}
