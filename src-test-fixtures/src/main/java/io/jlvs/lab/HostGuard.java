package io.jlvs.lab;

import java.io.IOException;

/**
 * A blackhole route for the lab's whole address range (198.18.0.0/15) in the host's own namespace, while labs run:
 * a socket a test opens by mistake in the host's namespace (Java creates a socket's descriptor lazily, at connect,
 * on the connecting thread) then fails at once instead of sending lab traffic out of the machine. The range is
 * RFC 2544's benchmarking range, which no real network routes; a more specific route the host already has still
 * wins over it.
 */
final class HostGuard
{
    static final String LAB_RANGE = "198.18.0.0/15";

    private HostGuard()
    {
    }

    /**
     * Adds the guard if it is not there; returns whether this call added it (and so should remove it). A guard
     * another lab added stays that lab's.
     */
    static boolean install()
    {
        try
        {
            if (Commands.ip("route", "show", "type", "blackhole", LAB_RANGE).contains(LAB_RANGE))
            {
                return false;
            }
            Commands.ip("route", "add", "blackhole", LAB_RANGE);
            return true;
        }
        catch (final IOException ex)
        {
            // Another lab added it in between, or the host refuses: the lab works without the guard.
            return false;
        }
    }

    /** Removes the guard this lab added. */
    static void remove()
    {
        try
        {
            Commands.ip("route", "del", "blackhole", LAB_RANGE);
        }
        catch (final IOException ex)
        {
            // Already gone: nothing to undo.
        }
    }
}
