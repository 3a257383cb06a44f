package io.jlvs.config;

/** A word, a quoted string or a brace of keepalived.conf, with where it starts (1-based line and column). */
final class Token
{
    /** What the token is to the statement reader. */
    enum Kind
    {
        WORD,
        OPEN,
        CLOSE
    }

    final Kind kind;
    final String text;
    final SourceFile source;
    final int line;
    final int column;
    /** The column just after the token, where "found end of line" points. */
    final int endColumn;
    /** A quote was opened and not closed on this line: an error once anyone reads the value. */
    final boolean unterminated;
    /** Written (partly) in quotes: never a keyword such as {@code include}. */
    final boolean quoted;

    Token(
        final Kind kind,
        final String text,
        final SourceFile source,
        final int line,
        final int column,
        final int endColumn,
        final boolean quoted,
        final boolean unterminated)
    {
        this.kind = kind;
        this.text = text;
        this.source = source;
        this.line = line;
        this.column = column;
        this.endColumn = endColumn;
        this.quoted = quoted;
        this.unterminated = unterminated;
    }

    String file()
    {
        return source.name();
    }

    /** Whether both tokens are on one line of one file: a statement's values never continue on the next line. */
    boolean sameLine(final Token other)
    {
        return other != null && source == other.source && line == other.line;
    }

    /** How the token is quoted in a message: {@code '80x'}. */
    String quotedText()
    {
        return kind == Kind.WORD ? "'" + text + "'" : kind == Kind.OPEN ? "'{'" : "'}'";
    }

    ConfigException error(final String detail)
    {
        return new ConfigException(source.name(), line, column, detail);
    }

    /** An error located just after this token, for a value that is missing from the end of the line. */
    ConfigException errorAfter(final String detail)
    {
        return new ConfigException(source.name(), line, endColumn, detail);
    }

    ConfigWarning warning(final String message)
    {
        return new ConfigWarning(source.name(), line, column, message);
    }

    @Override
    public String toString()
    {
        return source.name() + ':' + line + ':' + column + ' ' + quotedText();
    }
}
