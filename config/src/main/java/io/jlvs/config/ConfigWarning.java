package io.jlvs.config;

/**
 * Something in the file that jlvs accepted but does not act on (an unknown keyword, a keepalived section jlvs does not
 * implement) or a default it applied; reported to the operator, never fatal.
 */
public record ConfigWarning(String file, int line, int column, String message)
{
    /** {@code FILE:LINE:COLUMN: message}, the form compilers use, so that editors can jump to it. */
    @Override
    public String toString()
    {
        return file + ':' + line + ':' + column + ": " + message;
    }
}
