package io.jlvs.bench.harness;

import io.jlvs.lab.LabRequirements;

import java.util.Optional;

/** {@code bin/jlvs bench}: parses the options, checks the machine can run the lab, runs the {@link Harness}. */
public final class Main
{
    private static final int EXIT_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0])))
        {
            System.out.println(HarnessOptions.USAGE);
            return;
        }
        final HarnessOptions options;
        try
        {
            options = HarnessOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("jlvs bench: " + ex.getMessage());
            System.err.println(HarnessOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        final Optional<String> unavailable = LabRequirements.unavailableReason();
        if (unavailable.isPresent())
        {
            System.err.println("jlvs bench: cannot build the lab here: " + unavailable.get() +
                " (run it as: sudo bin/jlvs bench)");
            System.exit(EXIT_USAGE);
            return;
        }
        try
        {
            Harness.run(options, System.out);
        }
        catch (final Exception ex)
        {
            System.out.flush();
            System.err.println("jlvs bench: failed: " + ex);
            ex.printStackTrace();
            System.exit(EXIT_FAILED);
        }
    }
}
