package io.jlvs.cli.control;

import io.jlvs.cli.listing.DirectorSnapshot;
import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.cli.listing.ListRequest;
import io.jlvs.cli.listing.Listing;
import io.jlvs.dataplane.Director;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The control requests of a running director: {@code list ...} renders a snapshot in ipvsadm's layout and
 * {@code reload} runs the reload the {@code run} command supplies.
 */
public final class DirectorControl implements ControlHandler
{
    public static final String RELOAD = "reload";

    private final Director director;
    private final Reload reload;
    private final long forwardingTimeoutMs;

    /** What {@code reload} does: re-read the configuration and apply it, answering with what happened. */
    @FunctionalInterface
    public interface Reload
    {
        /**
         * @return a one-line summary of what was applied.
         * @throws IllegalArgumentException naming what is wrong; the running configuration stays.
         */
        String reload();
    }

    /**
     * @param reload              what {@code reload} does, or null when this director has no configuration file.
     * @param forwardingTimeoutMs how long a request waits for the forwarding thread (connection listings).
     */
    public DirectorControl(final Director director, final Reload reload, final long forwardingTimeoutMs)
    {
        this.director = director;
        this.reload = reload;
        this.forwardingTimeoutMs = forwardingTimeoutMs;
    }

    @Override
    public String handle(final String request) throws InterruptedException
    {
        final List<String> words = Arrays.asList(request.trim().split("\\s+"));
        final String verb = words.get(0);
        if (ListRequest.VERB.equals(verb))
        {
            final ListRequest list = ListRequest.parse(words.subList(1, words.size()));
            final Listing listing;
            try
            {
                listing = DirectorSnapshot.take(director, list.connections(), forwardingTimeoutMs);
            }
            catch (final TimeoutException ex)
            {
                throw new IllegalArgumentException("the forwarding thread did not answer within " +
                    forwardingTimeoutMs + " ms");
            }
            return IpvsadmFormat.render(listing, list);
        }
        if (RELOAD.equals(verb) && words.size() == 1)
        {
            if (reload == null)
            {
                throw new IllegalArgumentException("this director was not started from a configuration file");
            }
            return reload.reload() + '\n';
        }
        throw new IllegalArgumentException("unknown request '" + request.trim() + "', expected 'list [options]' " +
            "or 'reload'");
    }
}
