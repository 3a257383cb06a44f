package io.jlvs.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits one file into tokens the way keepalived reads it: blanks separate words, {@code {} and {@code }} are tokens
 * of their own, {@code !} and {@code #} start a comment that runs to the end of the line, and quotes ({@code "} or
 * {@code '}) keep blanks inside a word and allow shell-like escapes. The words after an {@code include} keyword are
 * glob patterns, so braces do not split them there.
 */
final class Lexer
{
    /** keepalived's include keyword and its checking variants (man keepalived.conf(5)). */
    static final Set<String> INCLUDE_KEYWORDS =
        Set.of("include", "includer", "includem", "includew", "includeb", "includea");

    private static final char ESCAPE = '\\';
    private static final int CONTROL_MASK = 0x1F;
    private static final int BELL = 7;
    private static final int BACKSPACE = 8;
    private static final int ESC = 27;
    private static final int FORM_FEED = 12;
    private static final int VERTICAL_TAB = 11;
    private static final int OCTAL_RADIX = 8;
    private static final int HEX_RADIX = 16;
    private static final int MAX_OCTAL_DIGITS = 3;
    private static final int MAX_HEX_DIGITS = 2;

    private final String text;
    private final SourceFile source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    private int lineOfLastToken;

    private Lexer(final String text, final SourceFile source)
    {
        this.text = text;
        this.source = source;
    }

    static List<Token> lex(final String text, final SourceFile source)
    {
        final Lexer lexer = new Lexer(text, source);
        lexer.run();
        return lexer.tokens;
    }

    /**
     * Where the text ends: the 1-based line and the column just after the last character that is not a line end, so
     * that "found end of file" points at the last line an editor shows.
     */
    static int[] endOf(final String text)
    {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r'))
        {
            end--;
        }
        int endLine = 1;
        int lastLineStart = 0;
        for (int i = 0; i < end; i++)
        {
            if (text.charAt(i) == '\n')
            {
                endLine++;
                lastLineStart = i + 1;
            }
        }
        return new int[] {endLine, end - lastLineStart + 1};
    }

    private void run()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '\n')
            {
                newLine();
            }
            else if (isBlank(c))
            {
                pos++;
            }
            else if (isCommentStart(c))
            {
                skipToEndOfLine();
            }
            else if (c == '{' || c == '}')
            {
                final int column = column();
                pos++;
                add(new Token(c == '{' ? Token.Kind.OPEN : Token.Kind.CLOSE, String.valueOf(c), source, line, column,
                    column + 1, false, false));
            }
            else
            {
                final boolean firstOnLine = lineOfLastToken != line;
                final Token word = readWord(true);
                add(word);
                if (firstOnLine && !word.quoted && INCLUDE_KEYWORDS.contains(word.text))
                {
                    readIncludePatterns();
                }
            }
        }
    }

    /** The rest of an include line: glob patterns, where braces are part of the pattern ({@code {a,b}.conf}). */
    private void readIncludePatterns()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '\n')
            {
                return;
            }
            if (isBlank(c))
            {
                pos++;
            }
            else if (isCommentStart(c))
            {
                skipToEndOfLine();
            }
            else
            {
                add(readWord(false));
            }
        }
    }

    private Token readWord(final boolean bracesSplit)
    {
        final int column = column();
        final StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean unterminated = false;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '\n' || isBlank(c) || (bracesSplit && (c == '{' || c == '}' || isCommentStart(c))))
            {
                break;
            }
            if (c == '"' || c == '\'')
            {
                quoted = true;
                if (!readQuoted(c, word))
                {
                    unterminated = true;
                    break;
                }
            }
            else
            {
                word.append(c);
                pos++;
            }
        }
        return new Token(Token.Kind.WORD, word.toString(), source, line, column, column(), quoted, unterminated);
    }

    /** Reads a quoted part into {@code word}; false when the line ends before the closing quote. */
    private boolean readQuoted(final char quote, final StringBuilder word)
    {
        pos++;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '\n')
            {
                return false;
            }
            pos++;
            if (c == quote)
            {
                return true;
            }
            if (c == ESCAPE && pos < text.length() && text.charAt(pos) != '\n')
            {
                readEscape(word);
            }
            else
            {
                word.append(c);
            }
        }
        return false;
    }

    /** keepalived's escapes in quoted strings: {@code \n \t ... \nnn \xXX \cC}, and {@code \C} for any other C. */
    private void readEscape(final StringBuilder word)
    {
        final char c = text.charAt(pos++);
        switch (c)
        {
            case 'a': word.append((char)BELL); break;
            case 'b': word.append((char)BACKSPACE); break;
            case 'E': word.append((char)ESC); break;
            case 'f': word.append((char)FORM_FEED); break;
            case 'n': word.append('\n'); break;
            case 'r': word.append('\r'); break;
            case 't': word.append('\t'); break;
            case 'v': word.append((char)VERTICAL_TAB); break;
            case 'x': word.append((char)readNumber(HEX_RADIX, MAX_HEX_DIGITS, 0)); break;
            case 'c':
                if (pos < text.length() && text.charAt(pos) != '\n')
                {
                    word.append((char)(text.charAt(pos++) & CONTROL_MASK));
                }
                break;
            default:
                if (c >= '0' && c <= '7')
                {
                    word.append((char)readNumber(OCTAL_RADIX, MAX_OCTAL_DIGITS - 1, c - '0'));
                }
                else
                {
                    word.append(c);
                }
        }
    }

    private int readNumber(final int radix, final int maxDigits, final int initial)
    {
        int value = initial;
        for (int i = 0; i < maxDigits && pos < text.length(); i++)
        {
            final int digit = Character.digit(text.charAt(pos), radix);
            if (digit < 0)
            {
                break;
            }
            value = value * radix + digit;
            pos++;
        }
        return value;
    }

    private void add(final Token token)
    {
        tokens.add(token);
        lineOfLastToken = token.line;
    }

    private void skipToEndOfLine()
    {
        while (pos < text.length() && text.charAt(pos) != '\n')
        {
            pos++;
        }
    }

    private void newLine()
    {
        pos++;
        line++;
        lineStart = pos;
    }

    private int column()
    {
        return pos - lineStart + 1;
    }

    private static boolean isBlank(final char c)
    {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == (char)VERTICAL_TAB;
    }

    private static boolean isCommentStart(final char c)
    {
        return c == '#' || c == '!';
    }
}
