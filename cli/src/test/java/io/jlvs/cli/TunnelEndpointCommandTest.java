package io.jlvs.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jlvs tunnel-endpoint}'s command line: what is refused before anything is opened (exit 2). Running it is
 * {@link TunRealServerDoctorLabTest}'s business: it needs root and a namespace.
 */
class TunnelEndpointCommandTest
{
    @Test
    void withoutInterfaceIsAUsageError()
    {
        final Cli cli = Cli.run("tunnel-endpoint", "--vip", "198.18.0.100");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("Missing required option: '--interface=IF'\n"), cli.toString());
        assertEquals("", cli.out());
    }

    @Test
    void badVipIsAUsageErrorNamingIt()
    {
        final Cli cli = Cli.run("tunnel-endpoint", "--interface", "eth0", "--vip", "vip");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("not an IPv4 address: vip\n"), cli.toString());
    }

    @Test
    void tunNameTheKernelWouldRefuseIsAUsageError()
    {
        final Cli cli = Cli.run("tunnel-endpoint", "--interface", "eth0", "--tun-name", "jlvs/tun");

        assertEquals(ExitCodes.USAGE, cli.exitCode(), cli.toString());
        assertTrue(cli.err().startsWith("tun name must be 1-15 printable characters without '/', ':' or spaces, " +
            "tun name='jlvs/tun'\n"), cli.toString());
    }

    @Test
    void helpNamesTheHostCheckStrictAndTheSignals()
    {
        final Cli cli = Cli.run("tunnel-endpoint", "--help");

        assertEquals(ExitCodes.OK, cli.exitCode(), cli.toString());
        assertTrue(cli.out().contains("--strict") && cli.out().contains("rp_filter") &&
            cli.out().contains("SIGTERM"), cli.out());
    }
}
