package io.jlvs.config;

import java.util.List;

/**
 * One keyword line of keepalived.conf: the keyword, the values that follow it on the same line and, when a
 * {@code {} follows, the statements of its block.
 */
final class Statement
{
    final Token keyword;
    final List<Token> values;
    /** Null when the statement opens no block. */
    final List<Statement> block;
    /** The {@code {} of the block, or null. */
    final Token open;

    Statement(final Token keyword, final List<Token> values, final Token open, final List<Statement> block)
    {
        this.keyword = keyword;
        this.values = List.copyOf(values);
        this.open = open;
        this.block = block == null ? null : List.copyOf(block);
    }

    String name()
    {
        return keyword.text;
    }

    boolean hasBlock()
    {
        return block != null;
    }

    /** The last token of the keyword line, after which a missing value is reported. */
    Token lastOnLine()
    {
        return values.isEmpty() ? keyword : values.get(values.size() - 1);
    }

    @Override
    public String toString()
    {
        return keyword + " " + values + (block == null ? "" : " {" + block.size() + "}");
    }
}
