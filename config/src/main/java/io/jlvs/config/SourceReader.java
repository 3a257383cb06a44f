package io.jlvs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads the main file and every file it includes into one token stream, as if the included text stood where the
 * {@code include} line is (keepalived's textual inclusion). Relative patterns start from the including file's
 * directory. A plain {@code include} that matches nothing is a warning, as in keepalived; the checking variants
 * ({@code includer}, {@code includem}, ...) make it an error. An include cycle is an error.
 */
final class SourceReader
{
    private final Diagnostics diagnostics;
    private final Deque<Path> including = new ArrayDeque<>();

    SourceReader(final Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
    }

    List<Token> readFile(final Path file) throws ConfigException
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file.toString(), 0, 0, "cannot read the file: " + describe(ex));
        }
        return readText(decode(bytes), file, file.toString());
    }

    List<Token> readText(final String text, final Path path, final String name) throws ConfigException
    {
        final int[] end = Lexer.endOf(text);
        final SourceFile source = new SourceFile(name, path, end[0], end[1]);
        including.push(identity(path));
        try
        {
            return expandIncludes(Lexer.lex(text, source), source);
        }
        finally
        {
            including.pop();
        }
    }

    private List<Token> expandIncludes(final List<Token> tokens, final SourceFile source) throws ConfigException
    {
        final List<Token> expanded = new ArrayList<>(tokens.size());
        int i = 0;
        while (i < tokens.size())
        {
            final Token token = tokens.get(i);
            final boolean firstOnLine = i == 0 || !tokens.get(i - 1).sameLine(token);
            if (token.kind != Token.Kind.WORD || token.quoted || !firstOnLine ||
                !Lexer.INCLUDE_KEYWORDS.contains(token.text))
            {
                expanded.add(token);
                i++;
                continue;
            }
            i++;
            final int firstPattern = i;
            while (i < tokens.size() && tokens.get(i).sameLine(token))
            {
                i++;
            }
            if (firstPattern == i)
            {
                throw token.errorAfter("expected a file name or glob pattern after " + token.text +
                    ", found end of line");
            }
            for (final Token pattern : tokens.subList(firstPattern, i))
            {
                include(token, pattern, source, expanded);
            }
        }
        return expanded;
    }

    private void include(final Token keyword, final Token pattern, final SourceFile source, final List<Token> into)
        throws ConfigException
    {
        if (pattern.unterminated)
        {
            throw pattern.error("expected a closing quote, found end of line");
        }
        final List<Path> files;
        try
        {
            files = Glob.expand(source.directory(), pattern.text);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw pattern.error("expected a readable file name or glob pattern, found " + pattern.quotedText() +
                " (" + describe(ex) + ")");
        }
        if (files.isEmpty())
        {
            if (keyword.text.equals("include"))
            {
                diagnostics.warn(pattern, "include " + pattern.quotedText() + " matches no file");
                return;
            }
            throw pattern.error("expected at least one file matching " + pattern.quotedText() + ", found none");
        }
        for (final Path file : files)
        {
            if (including.contains(identity(file)))
            {
                throw pattern.error("expected no include cycle, found " + file.normalize() +
                    " included again while it is read");
            }
            final byte[] bytes;
            try
            {
                bytes = Files.readAllBytes(file);
            }
            catch (final IOException ex)
            {
                throw pattern.error("expected a readable file, found " + file.normalize() + " (" + describe(ex) +
                    ")");
            }
            // Named by the normalized path (no "conf.d/../"), read by the path as written, which is what
            // keepalived opens when a directory on the way is a symbolic link.
            into.addAll(readText(decode(bytes), file, file.normalize().toString()));
        }
    }

    /**
     * Lenient UTF-8: operators' files carry comments in Latin-1 or GBK; those bytes only ever appear in comments and
     * names jlvs ignores, so they become U+FFFD rather than failing the read.
     */
    private static String decode(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Path identity(final Path path)
    {
        try
        {
            return path.toRealPath();
        }
        catch (final IOException | RuntimeException ex)
        {
            return path.toAbsolutePath().normalize();
        }
    }

    private static String describe(final Exception ex)
    {
        final String simpleName = ex.getClass().getSimpleName();
        return ex.getMessage() == null ? simpleName : simpleName + ": " + ex.getMessage();
    }
}
