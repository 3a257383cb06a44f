package io.jlvs.doctor;

/**
 * What one read of the host gave: the text of a file or of a command's output, or why there is none: the file or
 * command does not exist here ({@link Status#ABSENT}), or reading it failed ({@link Status#FAILED}, e.g. not root).
 */
public record Reading(Status status, String text)
{
    /** Whether a reading holds the host's answer. */
    public enum Status
    {
        /** {@link #text()} is the file's content or the command's standard output. */
        PRESENT,
        /** The file or command does not exist on this host; {@link #text()} says which. */
        ABSENT,
        /** It exists but could not be read or run; {@link #text()} is the error (stderr, errno, timeout). */
        FAILED
    }

    public Reading
    {
        if (status == null || text == null)
        {
            throw new IllegalArgumentException("a reading needs a status and a text, status=" + status);
        }
    }

    public static Reading present(final String text)
    {
        return new Reading(Status.PRESENT, text);
    }

    public static Reading absent(final String what)
    {
        return new Reading(Status.ABSENT, what);
    }

    public static Reading failed(final String error)
    {
        return new Reading(Status.FAILED, error);
    }

    public boolean isPresent()
    {
        return status == Status.PRESENT;
    }
}
