package io.jlvs.lab;

import java.io.IOException;

/**
 * {@link Lab#start} could not build the lab; whatever it had built is already torn down. Names the lab's prefix so
 * that a test (or an operator) can check that nothing with it is left.
 */
public final class LabBuildException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final String prefix;

    LabBuildException(final String prefix, final Throwable cause)
    {
        super("lab " + prefix + " could not be built (torn down again): " + cause.getMessage(), cause);
        this.prefix = prefix;
    }

    /** The failed lab's prefix ({@code jl} and 6 hex digits). */
    public String prefix()
    {
        return prefix;
    }
}
