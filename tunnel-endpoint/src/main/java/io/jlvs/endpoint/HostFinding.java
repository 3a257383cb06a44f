package io.jlvs.endpoint;

/**
 * One line of the host check: what was found, how serious it is, and the command that fixes it (empty when there
 * is nothing to fix).
 */
public record HostFinding(Severity severity, String message, String fix)
{
    /** How a finding affects the endpoint; only {@link #PROBLEM}s make {@code --strict} refuse to run. */
    public enum Severity
    {
        /** As the endpoint needs it. */
        OK("ok"),
        /** Worth knowing; matters only in a setup the check cannot see (a client on this host, say). */
        NOTE("note"),
        /** Inner packets will not reach the server, or the host will disturb the director: fix it. */
        PROBLEM("PROBLEM");

        private final String word;

        Severity(final String word)
        {
            this.word = word;
        }

        public String word()
        {
            return word;
        }
    }

    public HostFinding
    {
        if (severity == null || message == null || fix == null)
        {
            throw new IllegalArgumentException("severity, message and fix must not be null (fix may be empty)");
        }
    }

    static HostFinding ok(final String message)
    {
        return new HostFinding(Severity.OK, message, "");
    }

    static HostFinding note(final String message, final String fix)
    {
        return new HostFinding(Severity.NOTE, message, fix);
    }

    static HostFinding problem(final String message, final String fix)
    {
        return new HostFinding(Severity.PROBLEM, message, fix);
    }

    /** The one line an operator reads: {@code PROBLEM: what is wrong; fix: command}. */
    public String line()
    {
        return fix.isEmpty() ? severity.word() + ": " + message : severity.word() + ": " + message + "; fix: " + fix;
    }

    @Override
    public String toString()
    {
        return line();
    }
}
