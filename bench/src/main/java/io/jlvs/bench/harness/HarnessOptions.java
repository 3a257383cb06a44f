package io.jlvs.bench.harness;

import java.util.concurrent.TimeUnit;

/**
 * What {@code bin/jlvs bench} was asked to do: how long each measurement lasts, how many forwarding workers, and
 * whether this is the short run that only proves the harness works end to end.
 *
 * @param measureSeconds  the measurement window of every run (one jlvs run and one kernel run per case).
 * @param requestedWorkers the workers of the multi-worker cases (each case runs with 1 worker first, then with this
 *                         many when it is more than 1).
 * @param shortRun        {@code --short}: a one-second window and short warm-up, for the test that runs the harness.
 */
public record HarnessOptions(int measureSeconds, int requestedWorkers, boolean shortRun)
{
    /** Long enough to average over the kernel's 1 ms ring-block timer and the director's idle back-off. */
    public static final int DEFAULT_SECONDS = 10;
    /** A bound, so that a typo cannot keep six runs going for hours. */
    public static final int MAX_SECONDS = 600;
    /** The window of {@code --short}: with warm-up and drain each case takes about two seconds per side. */
    public static final int SHORT_SECONDS = 1;
    /** Without {@code --workers}: each case with 1 worker and with 2 (a fanout group picking the worker by client). */
    public static final int DEFAULT_WORKERS = 2;
    /** Far more than the cores of any machine this runs on; only bounds the parsing. */
    public static final int MAX_WORKERS = 1024;

    /** Traffic before the window opens: prime SYNs, first packets of UDP flows, the rings reach steady state. */
    private static final long WARM_UP_NS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final long SHORT_WARM_UP_NS = TimeUnit.MILLISECONDS.toNanos(300);

    static final String USAGE = String.join("\n",
        "usage: bin/jlvs bench [--seconds N] [--workers N] [--short]",
        "  --seconds N   measurement window of each run, 1.." + MAX_SECONDS + " (default " + DEFAULT_SECONDS + ")",
        "  --workers N   forwarding workers of the multi-worker cases (default " + DEFAULT_WORKERS + "; 1 runs only the " +
            "single-worker cases)",
        "  --short       a " + SHORT_SECONDS + " s window and a short warm-up: proves the harness works, measures " +
            "little",
        "Needs root (network namespaces) and nft (the kernel baseline). Builds a lab of namespaces, runs 64-byte and",
        "1500-byte frames and a SYN-only run through jlvs and through the kernel, and tears everything down.");

    public HarnessOptions
    {
        if (measureSeconds < 1 || measureSeconds > MAX_SECONDS)
        {
            throw new IllegalArgumentException("--seconds must be 1.." + MAX_SECONDS + ", seconds=" + measureSeconds);
        }
        if (requestedWorkers < 1 || requestedWorkers > MAX_WORKERS)
        {
            throw new IllegalArgumentException("--workers must be 1.." + MAX_WORKERS + ", workers=" +
                requestedWorkers);
        }
    }

    /**
     * Parses the arguments after {@code bench}.
     *
     * @throws IllegalArgumentException naming the argument that is wrong.
     */
    public static HarnessOptions parse(final String... args)
    {
        Integer seconds = null;
        int workers = DEFAULT_WORKERS;
        boolean shortRun = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--seconds":
                    seconds = intValue(arg, args, ++i);
                    break;
                case "--workers":
                    workers = intValue(arg, args, ++i);
                    break;
                case "--short":
                    shortRun = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        final int window = seconds != null ? seconds : shortRun ? SHORT_SECONDS : DEFAULT_SECONDS;
        return new HarnessOptions(window, workers, shortRun);
    }

    private static int intValue(final String name, final String[] args, final int index)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(name + " needs a value");
        }
        try
        {
            return Integer.parseInt(args[index]);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + args[index] + "'", ex);
        }
    }

    /** The workers of the multi-worker cases (1: there are none). */
    public int workers()
    {
        return requestedWorkers;
    }

    /** How long traffic runs before the window opens. */
    public long warmUpNs()
    {
        return shortRun ? SHORT_WARM_UP_NS : WARM_UP_NS;
    }

    public long measureNs()
    {
        return TimeUnit.SECONDS.toNanos(measureSeconds);
    }
}
