package io.jlvs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code bin/jlvs}: the entry point, a picocli command whose subcommands are {@code run}, {@code list}, {@code demo},
 * {@code doctor}, {@code tunnel-endpoint}, {@code bench} (which {@code bin/jlvs} runs from the benchmarks jar) and
 * ipvsadm's verbs ({@link IpvsadmVerbs}).
 */
@Command(
    name = "jlvs",
    mixinStandardHelpOptions = true,
    version = Main.VERSION,
    description = "A userspace IPVS director (DR, TUN and Local) in pure Java.",
    subcommands = {RunCommand.class, ListCommand.class, DemoCommand.class, DoctorCommand.class,
        TunnelEndpointCommand.class, BenchCommand.class,
        IpvsadmVerbs.AddService.class, IpvsadmVerbs.EditService.class, IpvsadmVerbs.DeleteService.class,
        IpvsadmVerbs.AddServer.class, IpvsadmVerbs.EditServer.class, IpvsadmVerbs.DeleteServer.class,
        IpvsadmVerbs.Zero.class, IpvsadmVerbs.Save.class, IpvsadmVerbs.RestoreRules.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done, or stopped by SIGTERM/SIGINT",
        "1:runtime failure (doctor: a check failed)",
        "2:usage or configuration error, nothing started"})
public final class Main implements Callable<Integer>
{
    public static final String VERSION = "jlvs 0.1.0";
    /** Where {@code run} serves and {@code list} asks, unless {@code --control} says otherwise. */
    public static final String DEFAULT_CONTROL_PATH = "/run/jlvs/control.sock";

    @Spec
    private CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with {@code out} and {@code err} as picocli's streams; returns the exit code. */
    public static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        // Parse errors exit with picocli's USAGE (2); anything a command throws is a runtime failure (1).
        commandLine.setExecutionExceptionHandler((ex, cl, parseResult) ->
        {
            cl.getErr().println("jlvs: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return ExitCodes.FAILURE;
        });
        return commandLine.execute(args);
    }

    /** {@code jlvs} with no subcommand: the usage, as a usage error. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
