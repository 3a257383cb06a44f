package io.jlvs.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the tree of statements from the token stream: a statement is a keyword and the words after it on the same
 * line; a {@code {} after it (on that line or a later one) opens its block, which the matching {@code }} closes.
 * Braces must balance; the error names the block left open or the brace that closes nothing.
 */
final class StatementReader
{
    private final List<Token> tokens;
    private int next;

    private StatementReader(final List<Token> tokens)
    {
        this.tokens = tokens;
    }

    static List<Statement> read(final List<Token> tokens) throws ConfigException
    {
        return new StatementReader(tokens).readBlock(null, null);
    }

    /** Reads statements up to the {@code }} that closes {@code opener}, or to the end for the top level. */
    private List<Statement> readBlock(final Token owner, final Token opener) throws ConfigException
    {
        final List<Statement> statements = new ArrayList<>();
        while (true)
        {
            if (next == tokens.size())
            {
                if (opener == null)
                {
                    return statements;
                }
                final SourceFile end = opener.source;
                throw new ConfigException(end.name(), end.endLine(), end.endColumn(),
                    "expected '}' to close the " + owner.text + " block opened at " + opener.file() + ':' +
                    opener.line + ':' + opener.column + ", found end of file");
            }
            final Token token = tokens.get(next++);
            if (token.kind == Token.Kind.CLOSE)
            {
                if (opener == null)
                {
                    throw token.error("expected a keyword, found '}' that closes no block");
                }
                return statements;
            }
            if (token.kind == Token.Kind.OPEN)
            {
                throw token.error("expected a keyword before '{', found none");
            }
            final List<Token> values = new ArrayList<>();
            while (next < tokens.size() && tokens.get(next).kind == Token.Kind.WORD && tokens.get(next).sameLine(token))
            {
                values.add(tokens.get(next++));
            }
            List<Statement> block = null;
            Token blockOpener = null;
            if (next < tokens.size() && tokens.get(next).kind == Token.Kind.OPEN)
            {
                blockOpener = tokens.get(next++);
                block = readBlock(token, blockOpener);
            }
            statements.add(new Statement(token, values, blockOpener, block));
        }
    }
}
