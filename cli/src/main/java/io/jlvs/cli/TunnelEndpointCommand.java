package io.jlvs.cli;

import io.jlvs.endpoint.EndpointCounter;
import io.jlvs.endpoint.EndpointException;
import io.jlvs.endpoint.EndpointOptions;
import io.jlvs.endpoint.HostReport;
import io.jlvs.endpoint.TunnelEndpoint;
import io.jlvs.scheduler.Ipv4;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jlvs tunnel-endpoint}: the real-server side of TUN mode on a host whose kernel cannot decapsulate IPIP. It
 * receives the IPIP packets for this host, hands each inner packet to the kernel through a TUN device (so the local
 * server answers the client directly, from the VIP), says at start what the host still needs, and runs until
 * SIGTERM/SIGINT, when it removes its TUN device and prints its counters.
 */
@Command(
    name = "tunnel-endpoint",
    mixinStandardHelpOptions = true,
    description = {
        "Run on a TUN real server whose kernel has no ipip module: receive the director's IPIP packets for this " +
            "host and hand the inner packets to the kernel through a TUN device, so the local server answers the " +
            "clients directly.",
        "At start it checks what the host needs (the VIP on lo as a /32, rp_filter 0 for the TUN device, " +
            "arp_ignore/arp_announce) and prints one line each on stderr, with the fix; --strict refuses to run " +
            "while one is a PROBLEM. SIGTERM and SIGINT stop it; the TUN device is removed and the counters printed."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped by SIGTERM/SIGINT",
        "1:the endpoint could not be opened (not root, no /dev/net/tun, no such interface)",
        "2:usage error, or --strict and the host check found a problem"})
final class TunnelEndpointCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--interface", required = true, paramLabel = "IF",
        description = "The interface the director's IPIP packets arrive on.")
    private String interfaceName;

    @Option(names = "--vip", paramLabel = "VIP",
        description = "A VIP inner packets must be addressed to; repeatable. Without one, any destination is " +
            "handed to the kernel and the VIP placement is not checked.")
    private List<String> vips = new ArrayList<>();

    @Option(names = "--tun-name", paramLabel = "NAME", defaultValue = EndpointOptions.DEFAULT_TUN_NAME,
        description = "The TUN device to create; %d lets the kernel pick a free number (default: ${DEFAULT-VALUE}).")
    private String tunName;

    @Option(names = "--strict", description = "Do not run while the host check reports a PROBLEM.")
    private boolean strict;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final EndpointOptions options = options();

        final TunnelEndpoint endpoint;
        try
        {
            // On the main thread: the device and the socket belong to the process's namespace.
            endpoint = TunnelEndpoint.open(options);
        }
        catch (final EndpointException ex)
        {
            err.println("jlvs: tunnel-endpoint: " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
        // The net for every way the JVM may end without our handlers: the TUN device must not outlive the process.
        final Thread shutdownHook = new Thread(endpoint::close, "jlvs-tunnel-endpoint-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try
        {
            final HostReport report = endpoint.checkHost();
            for (final String line : report.lines())
            {
                err.println("jlvs: " + line);
            }
            err.flush();
            if (!endpoint.mayRun(report))
            {
                err.println("jlvs: --strict: not running while the host has the problems above");
                err.flush();
                return ExitCodes.USAGE;
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            Signals.handle("TERM", () -> running.set(false));
            Signals.handle("INT", () -> running.set(false));
            out.println("jlvs: tunnel endpoint on " + interfaceName + ", TUN device " + endpoint.tunName() +
                (vips.isEmpty() ? ", any destination" : ", VIPs " + String.join(" ", vips)));
            out.flush();
            endpoint.run(running);
        }
        finally
        {
            endpoint.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // The JVM is already running the hook; it found the endpoint closed.
            }
        }
        for (final String line : counterLines(endpoint))
        {
            out.println("jlvs: " + line);
        }
        out.println("jlvs: stopped");
        out.flush();
        return ExitCodes.OK;
    }

    private EndpointOptions options()
    {
        try
        {
            final EndpointOptions.Builder builder = EndpointOptions.builder()
                .interfaceName(interfaceName)
                .tunName(tunName)
                .strict(strict);
            for (final String vip : vips)
            {
                builder.vip(Ipv4.parse(vip));
            }
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    /**
     * The counters an operator wants at exit: received, delivered and dropped always (zero says as much as a
     * number), then every other counter that is not zero.
     */
    static List<String> counterLines(final TunnelEndpoint endpoint)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(EndpointCounter.RX_PACKETS.label() + ": " + endpoint.counters().get(EndpointCounter.RX_PACKETS));
        lines.add(EndpointCounter.DELIVERED.label() + ": " + endpoint.counters().get(EndpointCounter.DELIVERED));
        lines.add("dropped: " + endpoint.counters().drops());
        for (final EndpointCounter counter : EndpointCounter.values())
        {
            final long value = endpoint.counters().get(counter);
            if (value != 0 && counter != EndpointCounter.RX_PACKETS && counter != EndpointCounter.DELIVERED)
            {
                lines.add(counter.label() + ": " + value);
            }
        }
        return lines;
    }
}
