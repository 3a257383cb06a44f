package io.jlvs.config;

/**
 * A configuration that cannot be used: the message is {@code FILE:LINE:COLUMN: what was expected, what was found}.
 * Line and column are 1-based; both are 0 when the problem concerns the file as a whole (it cannot be read).
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public ConfigException(final String file, final int line, final int column, final String detail)
    {
        super(format(file, line, column, detail));
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    private static String format(final String file, final int line, final int column, final String detail)
    {
        return line > 0 ? file + ':' + line + ':' + column + ": " + detail : file + ": " + detail;
    }

    public String file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    public int column()
    {
        return column;
    }

    /** The message without the {@code FILE:LINE:COLUMN: } prefix. */
    public String detail()
    {
        return detail;
    }
}
