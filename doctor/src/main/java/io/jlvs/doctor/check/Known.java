package io.jlvs.doctor.check;

/** A value read from the host, or why it could not be (then {@link #value()} is null). */
public record Known<T>(T value, String problem)
{
    public static <T> Known<T> of(final T value)
    {
        return new Known<>(value, "");
    }

    public static <T> Known<T> unknown(final String problem)
    {
        return new Known<>(null, problem);
    }

    public boolean isKnown()
    {
        return value != null;
    }
}
