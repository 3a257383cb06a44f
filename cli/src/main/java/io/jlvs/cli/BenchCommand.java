package io.jlvs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jlvs bench}, as the application's command list shows it. The end-to-end benchmark lives in the benchmarks
 * jar ({@code io.jlvs.bench.harness.Main}, with JMH and a traffic generator the application does not ship), and
 * {@code bin/jlvs bench} runs that jar before this one is ever started; this command only says so to whoever runs
 * the application's jar directly.
 */
@Command(
    name = "bench",
    description = {
        "The end-to-end benchmark (bench/README.md), which bin/jlvs runs from the benchmarks jar.",
        "Generator namespace -> director -> real servers. Use 'bin/jlvs bench [--seconds N] [--workers N] " +
            "[--short]', which builds bench/target/benchmarks.jar when it is missing; 'bin/jlvs bench --help' lists " +
            "its options."})
final class BenchCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /** The harness's own options, passed on in the message so that the command to run is complete. */
    @Unmatched
    private List<String> harnessArguments = new ArrayList<>();

    @Override
    public Integer call()
    {
        final String arguments = harnessArguments.isEmpty() ? "" : " " + String.join(" ", harnessArguments);
        spec.commandLine().getErr().println("jlvs: bench runs from the benchmarks jar, not the application's: " +
            "bin/jlvs bench" + arguments + " (it builds bench/target/benchmarks.jar when missing), or java -cp " +
            "bench/target/benchmarks.jar io.jlvs.bench.harness.Main" + arguments);
        return ExitCodes.USAGE;
    }
}
