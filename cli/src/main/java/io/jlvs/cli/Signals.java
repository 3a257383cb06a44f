package io.jlvs.cli;

/**
 * Installs process signal handlers through {@code sun.misc.Signal}.
 * <p>
 * Why an unsupported API: Java has no public one for signals, and the JVM's own handling cannot do what a director
 * needs. On SIGHUP the JVM runs its shutdown hooks and exits, yet keepalived's convention (and every systemd unit
 * written for it, {@code ExecReload=kill -HUP $MAINPID}) is that SIGHUP reloads. On SIGTERM/SIGINT the JVM exits with
 * 128 + the signal number after its hooks; a director stopped on purpose should exit 0. {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}, exported on purpose for such uses) replaces the JVM's handler for one signal.
 * Handlers run on a thread the JVM starts for each delivered signal, never on a dataplane thread.
 */
final class Signals
{
    private Signals()
    {
    }

    /**
     * Runs {@code action} each time signal {@code name} ({@code HUP}, {@code TERM}, {@code INT}) arrives.
     *
     * @return false when the signal cannot be handled here (the JVM runs with {@code -Xrs}, or the signal was
     * ignored when the process started, as SIGINT is for a background job): the JVM's default stays.
     */
    static boolean handle(final String name, final Runnable action)
    {
        try
        {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }
}
