package io.jlvs.dataplane.transport.pcap;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.pcap4j.core.Pcaps;

/** Whether libpcap can be loaded here; tests that need it skip without it, or fail when CI=true (CI installs it). */
final class Libpcap
{
    private Libpcap()
    {
    }

    static boolean available()
    {
        try
        {
            return Pcaps.libVersion() != null;
        }
        catch (final LinkageError ex)
        {
            return false;
        }
    }

    static void assume()
    {
        if (available())
        {
            return;
        }
        final String reason = "libpcap is not installed (Debian: apt-get install libpcap0.8)";
        if ("true".equalsIgnoreCase(System.getenv("CI")))
        {
            Assertions.fail(reason + " and CI=true, so this fails instead of skipping");
        }
        Assumptions.abort("skipped: " + reason);
    }
}
