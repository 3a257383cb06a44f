package io.jlvs.cli;

import io.jlvs.cli.control.ControlClient;
import io.jlvs.cli.control.ControlServer;
import io.jlvs.cli.listing.ListRequest;
import io.jlvs.cli.listing.ListView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jlvs list}: asks a running director for its tables and prints them as {@code ipvsadm -L -n} would. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
        "Print the running virtual services, real servers and connections in ipvsadm's -L -n layout.",
        "Addresses and ports are always numeric (-n is accepted for ipvsadm's sake)."})
final class ListCommand implements Callable<Integer>
{
    /** Long enough for a connection listing of a large table; the control thread answers in milliseconds otherwise. */
    private static final String DEFAULT_CONTROL_TIMEOUT_MS = "10000";

    @Spec
    private CommandSpec spec;

    @Option(names = "--control", paramLabel = "PATH", defaultValue = Main.DEFAULT_CONTROL_PATH,
        description = "The running director's control socket (default: ${DEFAULT-VALUE}).")
    private Path control;

    @Option(names = {"-n", "--numeric"}, description = "Numeric addresses and ports (always on).")
    private boolean numeric;

    @Option(names = "--stats", description = "Traffic totals per service and real server.")
    private boolean stats;

    @Option(names = "--rate",
        description = "Rates per service and real server (CPS, InPPS, OutPPS, InBPS, OutBPS), estimated as IPVS " +
            "does every 2 seconds.")
    private boolean rate;

    @Option(names = "--thresholds", description = "Upper and lower connection thresholds.")
    private boolean thresholds;

    @Option(names = "--persistent-conn",
        description = "Persistence templates per real server (PersistConn); with -c, ipvsadm's pe name and pe_data " +
            "columns (the templates themselves are the -c entries with source port 0 and state NONE).")
    private boolean persistentConn;

    @Option(names = "--latency",
        description = "The director's forwarding latency per frame, RX to TX flush, in microseconds: frames, P50, " +
            "P90, P99, P99.9 and Max over the last 2-second interval and since start (or since zero of every " +
            "service).")
    private boolean latency;

    @Option(names = "--exact", description = "Unscaled numbers in --stats and --rate; nanoseconds in --latency.")
    private boolean exact;

    @Option(names = {"-c", "--connections"}, description = "The connection entries (ipvsadm -L -n -c).")
    private boolean connections;

    @Option(names = "--timeout", description = "The TCP, TCP FIN and UDP timeouts.")
    private boolean timeout;

    @Option(names = "--counters", description = "Every dataplane counter: frames, drops by reason, transport.")
    private boolean counters;

    @Option(names = "--neighbours",
        description = "The real servers' neighbour entries: address, MAC (- when unknown) and state.")
    private boolean neighbours;

    @Option(names = "--control-timeout", paramLabel = "MS", defaultValue = DEFAULT_CONTROL_TIMEOUT_MS,
        description = "How long to wait for the director's answer (default: ${DEFAULT-VALUE} ms).")
    private long controlTimeoutMs;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String request = request().toLine();
        final String answer;
        try
        {
            answer = ControlClient.request(control, request, controlTimeoutMs);
        }
        catch (final IOException ex)
        {
            err.println("jlvs: cannot reach the control socket " + control + ": " + ex.getMessage() +
                " (is 'jlvs run --control " + control + "' running, and are you its user?)");
            return ExitCodes.FAILURE;
        }
        if (answer.startsWith(ControlServer.ERROR_PREFIX))
        {
            err.print("jlvs: " + answer.substring(ControlServer.ERROR_PREFIX.length()));
            err.flush();
            return ExitCodes.FAILURE;
        }
        out.print(answer);
        out.flush();
        return ExitCodes.OK;
    }

    private ListRequest request()
    {
        if ((stats ? 1 : 0) + (rate ? 1 : 0) + (thresholds ? 1 : 0) + (persistentConn ? 1 : 0) + (latency ? 1 : 0) > 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "choose one of --stats, --rate, --thresholds, --persistent-conn and --latency");
        }
        final ListView view = stats ? ListView.STATS : rate ? ListView.RATE : thresholds ? ListView.THRESHOLDS :
            persistentConn ? ListView.PERSISTENT_CONN : latency ? ListView.LATENCY : ListView.SERVICES;
        return new ListRequest(view, exact, connections, timeout, counters, neighbours);
    }
}
