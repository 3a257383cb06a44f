package io.jlvs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of RFC 8259 JSON for the tests that parse {@code doctor --json} as a script would: objects become
 * {@link Map}s (in document order), arrays {@link List}s, numbers {@link Long}s (the doctor prints integers only),
 * strings, booleans and null. Anything else, or text after the document, is an {@link IllegalArgumentException}
 * naming the offset.
 */
final class Json
{
    private static final int HEX_RADIX = 16;
    private static final int UNICODE_ESCAPE_DIGITS = 4;

    private final String text;
    private int at;

    private Json(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final Json reader = new Json(text);
        final Object value = reader.value();
        reader.skipWhitespace();
        if (reader.at != text.length())
        {
            throw reader.error("text after the document");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object value)
    {
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + value);
        }
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(final Object value)
    {
        if (!(value instanceof List))
        {
            throw new IllegalArgumentException("not a JSON array: " + value);
        }
        return (List<Object>)value;
    }

    private Object value()
    {
        skipWhitespace();
        if (at >= text.length())
        {
            throw error("a value expected");
        }
        final char c = text.charAt(at);
        switch (c)
        {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default: return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        expect('{');
        skipWhitespace();
        if (peek() == '}')
        {
            at++;
            return object;
        }
        while (true)
        {
            skipWhitespace();
            final String key = string();
            skipWhitespace();
            expect(':');
            if (object.containsKey(key))
            {
                throw error("duplicate key " + key);
            }
            object.put(key, value());
            skipWhitespace();
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect('}');
            return object;
        }
    }

    private List<Object> array()
    {
        final List<Object> array = new ArrayList<>();
        expect('[');
        skipWhitespace();
        if (peek() == ']')
        {
            at++;
            return array;
        }
        while (true)
        {
            array.add(value());
            skipWhitespace();
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect(']');
            return array;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (at >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(at++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c < ' ')
            {
                throw error("unescaped control character in a string");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char escaped = at < text.length() ? text.charAt(at++) : '\0';
            switch (escaped)
            {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (at + UNICODE_ESCAPE_DIGITS > text.length())
                    {
                        throw error("short \\u escape");
                    }
                    out.append((char)Integer.parseInt(text.substring(at, at + UNICODE_ESCAPE_DIGITS), HEX_RADIX));
                    at += UNICODE_ESCAPE_DIGITS;
                    break;
                default: throw error("bad escape \\" + escaped);
            }
        }
    }

    private Long number()
    {
        final int start = at;
        if (peek() == '-')
        {
            at++;
        }
        while (at < text.length() && Character.isDigit(text.charAt(at)))
        {
            at++;
        }
        if (at == start || text.charAt(at - 1) == '-')
        {
            throw error("a value expected");
        }
        return Long.parseLong(text.substring(start, at));
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, at))
        {
            throw error(word + " expected");
        }
        at += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("'" + c + "' expected");
        }
        at++;
    }

    private char peek()
    {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipWhitespace()
    {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException("JSON: " + what + " at offset " + at + " of:\n" + text);
    }
}
