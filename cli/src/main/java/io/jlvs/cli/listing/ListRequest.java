package io.jlvs.cli.listing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code jlvs list} asks for, as carried on the control socket:
 * {@code list [stats|rate|thresholds|persistent-conn|latency] [exact] [connections] [timeout] [counters]
 * [neighbours]}.
 *
 * @param view        which service table.
 * @param exact       {@code --exact}: numbers unscaled in the stats and rate views, nanoseconds in the latency
 *                    view.
 * @param connections {@code -c}: the connection table instead of the services.
 * @param timeout     {@code --timeout}: the timeouts instead of the services.
 * @param counters    {@code --counters}: every dataplane counter instead of the services.
 * @param neighbours  {@code --neighbours}: the real servers' neighbour cache entries instead of the services.
 */
public record ListRequest(
    ListView view, boolean exact, boolean connections, boolean timeout, boolean counters, boolean neighbours)
{
    public static final String VERB = "list";
    private static final String STATS = "stats";
    private static final String RATE = "rate";
    private static final String THRESHOLDS = "thresholds";
    private static final String PERSISTENT_CONN = "persistent-conn";
    private static final String LATENCY = "latency";
    private static final String EXACT = "exact";
    private static final String CONNECTIONS = "connections";
    private static final String TIMEOUT = "timeout";
    private static final String COUNTERS = "counters";
    private static final String NEIGHBOURS = "neighbours";

    /** Plain {@code ipvsadm -L -n}. */
    public static final ListRequest SERVICES = new ListRequest(ListView.SERVICES, false, false, false, false, false);

    public ListRequest
    {
        if (view == null)
        {
            throw new IllegalArgumentException("view must be given");
        }
    }

    /** The request line, without its newline: {@code list stats exact}. */
    public String toLine()
    {
        final List<String> words = new ArrayList<>();
        words.add(VERB);
        switch (view)
        {
            case STATS: words.add(STATS); break;
            case RATE: words.add(RATE); break;
            case THRESHOLDS: words.add(THRESHOLDS); break;
            case PERSISTENT_CONN: words.add(PERSISTENT_CONN); break;
            case LATENCY: words.add(LATENCY); break;
            default: break;
        }
        if (exact)
        {
            words.add(EXACT);
        }
        if (connections)
        {
            words.add(CONNECTIONS);
        }
        if (timeout)
        {
            words.add(TIMEOUT);
        }
        if (counters)
        {
            words.add(COUNTERS);
        }
        if (neighbours)
        {
            words.add(NEIGHBOURS);
        }
        return String.join(" ", words);
    }

    /**
     * Reads the words after {@code list}.
     *
     * @throws IllegalArgumentException naming an unknown word, or two service views at once.
     */
    public static ListRequest parse(final List<String> words)
    {
        ListView view = ListView.SERVICES;
        boolean exact = false;
        boolean connections = false;
        boolean timeout = false;
        boolean counters = false;
        boolean neighbours = false;
        for (final String word : words)
        {
            final ListView chosen;
            switch (word)
            {
                case STATS: chosen = ListView.STATS; break;
                case RATE: chosen = ListView.RATE; break;
                case THRESHOLDS: chosen = ListView.THRESHOLDS; break;
                case PERSISTENT_CONN: chosen = ListView.PERSISTENT_CONN; break;
                case LATENCY: chosen = ListView.LATENCY; break;
                case EXACT: exact = true; chosen = null; break;
                case CONNECTIONS: connections = true; chosen = null; break;
                case TIMEOUT: timeout = true; chosen = null; break;
                case COUNTERS: counters = true; chosen = null; break;
                case NEIGHBOURS: neighbours = true; chosen = null; break;
                default: throw new IllegalArgumentException("unknown list option '" + word + "', expected " +
                    "stats, rate, thresholds, persistent-conn, latency, exact, connections, timeout, counters or " +
                    "neighbours");
            }
            if (chosen != null)
            {
                if (view != ListView.SERVICES && view != chosen)
                {
                    throw new IllegalArgumentException(
                        "choose one of stats, rate, thresholds, persistent-conn and latency");
                }
                view = chosen;
            }
        }
        return new ListRequest(view, exact, connections, timeout, counters, neighbours);
    }
}
