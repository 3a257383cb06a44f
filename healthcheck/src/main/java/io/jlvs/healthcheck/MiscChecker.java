package io.jlvs.healthcheck;

import io.jlvs.config.MiscCheck;

/**
 * keepalived's {@code MISC_CHECK}: runs {@code misc_path} (through {@code /bin/sh -c}) and reads its exit status:
 * 0 passes; 1 fails; with {@code misc_dynamic}, 2..255 pass and set the server's weight to the status minus 2
 * (keepalived's rule: 255 gives 253), without it they fail. Past {@code misc_timeout} the script is killed and the
 * attempt fails. The {@code user} keyword is not applied: the script runs as the director's user.
 */
public final class MiscChecker implements Checker
{
    /** keepalived: the dynamic weight is the exit status minus 2, so that 0 and 1 keep their meaning. */
    static final int DYNAMIC_WEIGHT_OFFSET = 2;
    private static final int EXIT_PASS = 0;
    private static final int EXIT_FAIL = 1;
    private static final int MAX_EXIT_STATUS = 255;

    private final MiscCheck config;

    public MiscChecker(final MiscCheck config)
    {
        this.config = config;
    }

    @Override
    public CheckOutcome check() throws Exception
    {
        final ShellCommand.Exit exit = ShellCommand.run(config.path(), config.timeoutMs());
        if (exit.timedOut())
        {
            return CheckOutcome.fail("MISC_CHECK " + config.path() + " timed out after " + config.timeoutMs() +
                " ms");
        }
        return outcome(exit.status(), config.dynamic());
    }

    /** keepalived's reading of an exit status. */
    static CheckOutcome outcome(final int status, final boolean dynamic)
    {
        if (status == EXIT_PASS)
        {
            return CheckOutcome.pass();
        }
        if (dynamic && status > EXIT_FAIL && status <= MAX_EXIT_STATUS)
        {
            return CheckOutcome.passWithWeight(status - DYNAMIC_WEIGHT_OFFSET, "exit status " + status);
        }
        return CheckOutcome.fail("exit status " + status);
    }

    @Override
    public String toString()
    {
        return "MISC_CHECK " + config.path();
    }
}
