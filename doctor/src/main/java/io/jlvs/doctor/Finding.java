package io.jlvs.doctor;

/**
 * One result of one check: a stable id ({@code arp-ignore}), how bad it is, one line in plain words, and the command
 * that fixes it (empty when no single command can).
 */
public record Finding(String checkId, Severity severity, String message, String fix)
{
    public Finding
    {
        if (checkId == null || checkId.isEmpty() || severity == null || message == null || fix == null)
        {
            throw new IllegalArgumentException("a finding needs a check id, a severity, a message and a fix (may be " +
                "empty), checkId=" + checkId + ", severity=" + severity);
        }
        if (message.indexOf('\n') >= 0 || fix.indexOf('\n') >= 0)
        {
            throw new IllegalArgumentException("a finding is one line, checkId=" + checkId + ", message=" + message);
        }
    }

    public static Finding ok(final String checkId, final String message)
    {
        return new Finding(checkId, Severity.OK, message, "");
    }

    public static Finding warn(final String checkId, final String message, final String fix)
    {
        return new Finding(checkId, Severity.WARN, message, fix);
    }

    public static Finding fail(final String checkId, final String message, final String fix)
    {
        return new Finding(checkId, Severity.FAIL, message, fix);
    }
}
