package io.jlvs.cli;

/** What {@code bin/jlvs} exits with, the convention ipvsadm and most tools follow. */
public final class ExitCodes
{
    /** Done, or stopped cleanly by SIGTERM/SIGINT. */
    public static final int OK = 0;
    /** Something failed while running: an interface that cannot be opened, a control socket that does not answer. */
    public static final int FAILURE = 1;
    /** The command line or the configuration is wrong; nothing was started. */
    public static final int USAGE = 2;

    private ExitCodes()
    {
    }
}
