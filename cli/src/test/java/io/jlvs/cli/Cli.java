package io.jlvs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code jlvs ARGS} in-process and keeps what it printed: the exit code, stdout and stderr. */
record Cli(int exitCode, String out, String err)
{
    static Cli run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
