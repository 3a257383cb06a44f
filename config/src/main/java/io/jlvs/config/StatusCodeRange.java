package io.jlvs.config;

/** An inclusive range of HTTP status codes a {@code url} accepts ({@code status_code 200-299 404}). */
public record StatusCodeRange(int from, int to)
{
    public boolean contains(final int statusCode)
    {
        return statusCode >= from && statusCode <= to;
    }

    @Override
    public String toString()
    {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
