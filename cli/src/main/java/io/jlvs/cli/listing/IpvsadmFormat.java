package io.jlvs.cli.listing;

import io.jlvs.arp.MacAddress;
import io.jlvs.conntrack.IpProtocol;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link Listing} in exactly the layouts of {@code ipvsadm -L -n} (and {@code --stats}, {@code --rate},
 * {@code --thresholds}, {@code --persistent-conn}, {@code -c}, {@code --timeout}), column widths, padding and
 * trailing spaces included, so that scripts written against ipvsadm's output keep working. Plus jlvs's own
 * {@code --counters}, {@code --neighbours} and {@code --latency} views. Addresses are always numeric: jlvs never
 * resolves names ({@code -n} is implied).
 * <p>
 * The widths are those of ipvsadm.c's {@code print_title}, {@code print_service_entry}, {@code print_largenum},
 * {@code list_conn}/{@code print_conn} and {@code list_timeout}.
 */
public final class IpvsadmFormat
{
    /** The IPVS version ipvsadm reports for every kernel since 2.6.x; kept so that parsers of the line still match. */
    public static final String IPVS_VERSION = "1.2.1";

    /** ipvsadm cuts a service name ({@code "TCP  a.b.c.d:port"}) to this many characters. */
    private static final int SERVICE_NAME_WIDTH = 33;
    /** ipvsadm cuts a real server's {@code a.b.c.d:port} to this many characters. */
    private static final int SERVER_NAME_WIDTH = 28;
    /** print_largenum: up to this value the number is printed whole in 9 columns... */
    private static final long WHOLE_LIMIT = 100_000_000L;
    /** ...then in thousands with a K up to 1e9, millions with an M up to 1e11, and so on. */
    private static final long KILO_LIMIT = 1_000_000_000L;
    private static final long MEGA_LIMIT = 100_000_000_000L;
    private static final long GIGA_LIMIT = 100_000_000_000_000L;
    private static final long KILO = 1_000L;
    private static final long MEGA = 1_000_000L;
    private static final long GIGA = 1_000_000_000L;
    private static final long TERA = 1_000_000_000_000L;
    /** print_largenum with --exact: at least 9 columns, else the number's length plus one space. */
    private static final int EXACT_MIN_WIDTH = 9;
    private static final int EXACT_MAX_DIGITS_IN_MIN_WIDTH = 8;
    private static final long SECONDS_PER_MINUTE = 60;
    /** A persistence netmask of all ones (per client address) is not printed. */
    private static final int HOST_NETMASK = 0xFFFF_FFFF;

    /** The longest dotted quad, {@code 255.255.255.255}: the neighbour table's address column. */
    private static final int ADDRESS_WIDTH = 15;
    /** {@code aa:bb:cc:dd:ee:ff}: the neighbour table's MAC column. */
    private static final int MAC_WIDTH = 17;
    /** What the MAC column shows for an address no MAC was ever learnt for (as {@code ip neigh} leaves it out). */
    private static final String NO_MAC = "-";

    /** The longest counter name ({@code DROP_FRAGMENT_HOLD_EXPIRED} is 26) may push its line out: names stay whole. */
    private static final int COUNTER_NAME_WIDTH = 24;
    /** A long's 19 digits and a sign: a total never pushes its line out. */
    private static final int COUNTER_TOTAL_WIDTH = 20;
    /**
     * One worker's count: 10^14 frames is more than three years at 1 Mpps, and the column stays narrow enough for a
     * few workers side by side; a longer count only pushes its line out.
     */
    private static final int WORKER_COUNT_WIDTH = 14;

    /** {@code Interval}, the longer of the latency table's two window names. */
    private static final int LATENCY_WINDOW_WIDTH = 8;
    /** Seconds with one decimal: up to three years of uptime before a line is pushed out. */
    private static final int LATENCY_SECONDS_WIDTH = 10;
    /** The Frames column is print_largenum's, 9 wide (wider with --exact past 8 digits). */
    private static final int LATENCY_FRAMES_WIDTH = 9;
    /**
     * A latency column, its leading space included: the recorder's ceiling (10 s) is 11 digits in nanoseconds, and
     * 10 characters in microseconds with one decimal, so a value never runs into its neighbour.
     */
    private static final int LATENCY_VALUE_WIDTH = 12;
    private static final double NANOS_PER_MICRO = 1_000.0;
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;
    /** What a percentile of a window without frames shows: there is no such value. */
    private static final String NO_VALUE = "-";

    private static final String NEWLINE = "\n";

    private static final Comparator<ServiceRow> SERVICE_ORDER = Comparator
        .comparingInt(ServiceRow::fwmark)
        .thenComparingInt(ServiceRow::protocol)
        .thenComparing(ServiceRow::address, Integer::compareUnsigned)
        .thenComparingInt(ServiceRow::port);
    private static final Comparator<NeighbourRow> NEIGHBOUR_ORDER =
        Comparator.comparing(NeighbourRow::address, Integer::compareUnsigned);
    private static final Comparator<ServerRow> SERVER_ORDER = Comparator
        .comparing(ServerRow::address, Integer::compareUnsigned)
        .thenComparingInt(ServerRow::port);

    private IpvsadmFormat()
    {
    }

    /** What {@code jlvs list} prints for {@code request}: the chosen tables, in ipvsadm's order. */
    public static String render(final Listing listing, final ListRequest request)
    {
        if (!request.connections() && !request.timeout() && !request.counters() && !request.neighbours())
        {
            return request.view() == ListView.LATENCY ? latency(listing.latency(), request.exact()) :
                services(listing, request.view(), request.exact());
        }
        final StringBuilder out = new StringBuilder();
        if (request.connections())
        {
            out.append(connections(listing, request.view() == ListView.PERSISTENT_CONN));
        }
        if (request.timeout())
        {
            out.append(timeout(listing));
        }
        if (request.counters())
        {
            out.append(counters(listing));
        }
        if (request.neighbours())
        {
            out.append(neighbours(listing));
        }
        return out.toString();
    }

    /**
     * {@code ipvsadm -L -n} and its {@code --stats}/{@code --rate}/{@code --thresholds}/{@code --persistent-conn}
     * forms; {@link ListView#LATENCY} is {@link #latency}'s table, which has no services.
     */
    public static String services(final Listing listing, final ListView view, final boolean exact)
    {
        if (view == ListView.LATENCY)
        {
            return latency(listing.latency(), exact);
        }
        final StringBuilder out = new StringBuilder();
        out.append("IP Virtual Server version ").append(IPVS_VERSION).append(" (size=").append(listing.size())
            .append(')').append(NEWLINE);
        out.append(title(view));
        final List<ServiceRow> services = new ArrayList<>(listing.services());
        services.sort(SERVICE_ORDER);
        for (final ServiceRow service : services)
        {
            appendService(out, service, view, exact);
        }
        return out.toString();
    }

    /** {@code services} in ipvsadm's order: fwmark services last, then by protocol, address and port. */
    public static List<ServiceRow> inListingOrder(final List<ServiceRow> services)
    {
        final List<ServiceRow> sorted = new ArrayList<>(services);
        sorted.sort(SERVICE_ORDER);
        return sorted;
    }

    /** A service's servers in ipvsadm's order: by address, then port. */
    public static List<ServerRow> serversInListingOrder(final ServiceRow service)
    {
        final List<ServerRow> sorted = new ArrayList<>(service.servers());
        sorted.sort(SERVER_ORDER);
        return sorted;
    }

    /**
     * jlvs's own view, {@code list --latency}: how long frames waited from the kernel's RX timestamp to the TX flush
     * of their batch (each frame counts at its batch's latency, an upper bound for it), over the last sampling
     * interval and since start or zero. One line per window: its name ({@code Interval}, {@code Total}), how many
     * seconds it covers, the frames in it ({@link #appendLargeNumber}, as {@code --stats} counts), and P50, P90, P99,
     * P99.9 and Max, in microseconds with one decimal, or whole nanoseconds with {@code exact}; {@code -} when the
     * window has no frames. Before anything was forwarded (or sampled), one sentence says so instead of the table.
     */
    public static String latency(final Latency latency, final boolean exact)
    {
        final StringBuilder out = new StringBuilder();
        out.append("Forwarding latency, RX to TX flush (").append(exact ? "nanoseconds" : "microseconds").append(')')
            .append(NEWLINE);
        if (latency.total().frames() == 0)
        {
            out.append(latency.zeroed() ? "No frames forwarded since the counters were zeroed." :
                latency.sampled() ? "No frames forwarded yet." :
                    "Not sampled yet: jlvs run samples it every 2 seconds.").append(NEWLINE);
            return out.toString();
        }
        out.append(format("%-" + LATENCY_WINDOW_WIDTH + "s %" + LATENCY_SECONDS_WIDTH + "s%" + LATENCY_FRAMES_WIDTH +
            "s", "Window", "Seconds", "Frames"));
        for (final String column : List.of("P50", "P90", "P99", "P99.9", "Max"))
        {
            out.append(format("%" + LATENCY_VALUE_WIDTH + "s", column));
        }
        out.append(NEWLINE);
        appendLatencyRow(out, "Interval", latency.interval(), exact);
        appendLatencyRow(out, "Total", latency.total(), exact);
        return out.toString();
    }

    private static void appendLatencyRow(
        final StringBuilder out, final String window, final LatencyRow row, final boolean exact)
    {
        out.append(format("%-" + LATENCY_WINDOW_WIDTH + "s %" + LATENCY_SECONDS_WIDTH + ".1f", window,
            row.spanNs() / NANOS_PER_SECOND));
        appendLargeNumber(out, row.frames(), exact);
        for (final long valueNs : new long[] {row.p50Ns(), row.p90Ns(), row.p99Ns(), row.p999Ns(), row.maxNs()})
        {
            final String value = row.frames() == 0 ? NO_VALUE :
                exact ? Long.toString(valueNs) : format("%.1f", valueNs / NANOS_PER_MICRO);
            out.append(format("%" + LATENCY_VALUE_WIDTH + "s", value));
        }
        out.append(NEWLINE);
    }

    /** {@code ipvsadm -L -n -c}: the connection entries (and persistence templates). */
    public static String connections(final Listing listing)
    {
        return connections(listing, false);
    }

    /**
     * {@code ipvsadm -L -n -c}, and with {@code persistentConn} {@code ipvsadm -L -n -c --persistent-conn}, whose
     * title adds the persistence engine's columns ({@code pe name}, {@code pe_data}). ipvsadm fills them only for
     * entries of a persistence engine (IPVS's {@code sip}); jlvs has none, so every row keeps the plain layout, as
     * ipvsadm prints a template of a service without one. A template is listed as IPVS lists it: client port 0,
     * state {@code NONE}.
     */
    public static String connections(final Listing listing, final boolean persistentConn)
    {
        final StringBuilder out = new StringBuilder();
        out.append("IPVS connection entries").append(NEWLINE);
        if (persistentConn)
        {
            out.append(format("pro expire %-11s %-18s %-18s %-18s %-16s %s", "state", "source", "virtual",
                "destination", "pe name", "pe_data")).append(NEWLINE);
        }
        else
        {
            out.append(format("pro expire %-11s %-18s %-18s %s", "state", "source", "virtual", "destination"))
                .append(NEWLINE);
        }
        for (final ConnectionRow c : listing.connections())
        {
            final String expire = format("%02d:%02d",
                c.expiresSeconds() / SECONDS_PER_MINUTE, c.expiresSeconds() % SECONDS_PER_MINUTE);
            out.append(format("%-3s %-6s %-11s %-18s %-18s %s",
                IpProtocol.name(c.protocol()), expire, c.state(),
                endpoint(c.clientAddress(), c.clientPort()),
                endpoint(c.virtualAddress(), c.virtualPort()),
                endpoint(c.destinationAddress(), c.destinationPort()))).append(NEWLINE);
        }
        return out.toString();
    }

    /** {@code ipvsadm -L --timeout}. */
    public static String timeout(final Listing listing)
    {
        return "Timeout (tcp tcpfin udp): " + listing.tcpTimeoutSeconds() + ' ' + listing.tcpFinTimeoutSeconds() +
            ' ' + listing.udpTimeoutSeconds() + NEWLINE;
    }

    /**
     * jlvs's own view: every dataplane counter, then the drops by reason with their total, then the transport's
     * counters. Each line is {@code NAME value label}: the name for scripts, the label for people. With more than one
     * forwarding worker the value is the workers' sum and each worker's own count follows it, in worker order, under
     * a title line; the sum stays the second column either way.
     */
    public static String counters(final Listing listing)
    {
        final int columns = listing.workers() > 1 ? listing.workers() : 0;
        final StringBuilder out = new StringBuilder();
        out.append("Dataplane counters (interface ").append(listing.interfaceName());
        if (columns > 0)
        {
            out.append(", ").append(columns).append(" workers");
        }
        out.append(')').append(NEWLINE);
        if (columns > 0)
        {
            out.append(format("  %-" + COUNTER_NAME_WIDTH + "s %" + COUNTER_TOTAL_WIDTH + "s", "", "total"));
            for (int w = 0; w < columns; w++)
            {
                out.append(format(" %" + WORKER_COUNT_WIDTH + "s", "worker " + w));
            }
            out.append(NEWLINE);
        }
        long drops = 0;
        final long[] workerDrops = new long[columns];
        for (final CounterRow counter : listing.counters())
        {
            if (!counter.drop())
            {
                appendCounter(out, counter);
            }
        }
        out.append("Drops by reason").append(NEWLINE);
        for (final CounterRow counter : listing.counters())
        {
            if (counter.drop())
            {
                appendCounter(out, counter);
                drops += counter.value();
                for (int w = 0; w < columns && w < counter.perWorker().size(); w++)
                {
                    workerDrops[w] += counter.perWorker().get(w);
                }
            }
        }
        final List<Long> perWorker = new ArrayList<>(columns);
        for (final long value : workerDrops)
        {
            perWorker.add(value);
        }
        appendCounter(out, new CounterRow("DROPS_TOTAL", "every frame dropped or ignored", drops, true, perWorker));
        out.append("Transport").append(NEWLINE);
        for (final CounterRow counter : listing.transportCounters())
        {
            appendCounter(out, counter);
        }
        return out.toString();
    }

    /**
     * jlvs's own view: one line per real server address the director resolves, in address order, with the MAC it
     * learnt ({@code -} when none) and the entry's state in {@code ip neigh}'s words. Columns are as wide as their
     * widest possible value, so the table stays aligned whatever the addresses.
     */
    public static String neighbours(final Listing listing)
    {
        final StringBuilder out = new StringBuilder();
        out.append("Neighbours (interface ").append(listing.interfaceName()).append(')').append(NEWLINE);
        out.append(neighbourLine("Address", "MAC", "State"));
        final List<NeighbourRow> neighbours = new ArrayList<>(listing.neighbours());
        neighbours.sort(NEIGHBOUR_ORDER);
        for (final NeighbourRow neighbour : neighbours)
        {
            out.append(neighbourLine(neighbour.addressText(),
                neighbour.hasMac() ? MacAddress.toString(neighbour.mac()) : NO_MAC, neighbour.state()));
        }
        return out.toString();
    }

    private static String neighbourLine(final String address, final String mac, final String state)
    {
        return format("%-" + ADDRESS_WIDTH + "s %-" + MAC_WIDTH + "s %s", address, mac, state) + NEWLINE;
    }

    private static void appendCounter(final StringBuilder out, final CounterRow counter)
    {
        out.append(format("  %-" + COUNTER_NAME_WIDTH + "s %" + COUNTER_TOTAL_WIDTH + "d", counter.name(),
            counter.value()));
        for (final long value : counter.perWorker())
        {
            out.append(format(" %" + WORKER_COUNT_WIDTH + "d", value));
        }
        out.append("  ").append(counter.label()).append(NEWLINE);
    }

    private static String title(final ListView view)
    {
        switch (view)
        {
            case STATS:
                return format("%-33s %8s %8s %8s %8s %8s", "Prot LocalAddress:Port",
                    "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes") + NEWLINE +
                    "  -> RemoteAddress:Port" + NEWLINE;
            case RATE:
                return format("%-33s %8s %8s %8s %8s %8s", "Prot LocalAddress:Port",
                    "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS") + NEWLINE + "  -> RemoteAddress:Port" + NEWLINE;
            case THRESHOLDS:
                return format("%-33s %-10s %-10s %-10s %-10s", "Prot LocalAddress:Port",
                    "Uthreshold", "Lthreshold", "ActiveConn", "InActConn") + NEWLINE +
                    "  -> RemoteAddress:Port" + NEWLINE;
            case PERSISTENT_CONN:
                return format("%-33s %-9s %-11s %-10s %-10s", "Prot LocalAddress:Port",
                    "Weight", "PersistConn", "ActiveConn", "InActConn") + NEWLINE +
                    "  -> RemoteAddress:Port" + NEWLINE;
            default:
                return "Prot LocalAddress:Port Scheduler Flags" + NEWLINE +
                    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn" + NEWLINE;
        }
    }

    private static void appendService(
        final StringBuilder out, final ServiceRow service, final ListView view, final boolean exact)
    {
        final String name = serviceName(service);
        switch (view)
        {
            case STATS:
                out.append(format("%-33s", name));
                appendStats(out, service.stats(), exact);
                break;
            case RATE:
                out.append(format("%-33s", name));
                appendRates(out, service.rates(), exact);
                break;
            default:
                // The thresholds and persistent-conn views share the default service line, as in ipvsadm.
                out.append(name).append(' ').append(service.scheduler());
                appendFlags(out, service);
                break;
        }
        out.append(NEWLINE);

        final List<ServerRow> servers = new ArrayList<>(service.servers());
        servers.sort(SERVER_ORDER);
        for (final ServerRow server : servers)
        {
            final String endpoint = cut(server.endpoint(), SERVER_NAME_WIDTH);
            switch (view)
            {
                case STATS:
                    out.append(format("  -> %-28s", endpoint));
                    appendStats(out, server.stats(), exact);
                    break;
                case RATE:
                    // ipvsadm prints a server's CPS, InPPS and OutPPS whole in 8 columns, its byte rates as numbers.
                    out.append(format("  -> %-28s %8d %8d %8d", endpoint, server.rates().cps(),
                        server.rates().inPps(), server.rates().outPps()));
                    appendLargeNumber(out, server.rates().inBps(), exact);
                    appendLargeNumber(out, server.rates().outBps(), exact);
                    break;
                case THRESHOLDS:
                    out.append(format("  -> %-28s %-10d %-10d %-10d %-10d", endpoint, server.upperThreshold(),
                        server.lowerThreshold(), server.activeConns(), server.inactiveConns()));
                    break;
                case PERSISTENT_CONN:
                    out.append(format("  -> %-28s %-9d %-11d %-10d %-10d", endpoint, server.weight(),
                        server.persistentConns(), server.activeConns(), server.inactiveConns()));
                    break;
                default:
                    out.append(format("  -> %-28s %-7s %-6d %-10d %-10d", endpoint, server.forward(),
                        server.weight(), server.activeConns(), server.inactiveConns()));
                    break;
            }
            out.append(NEWLINE);
        }
    }

    private static String serviceName(final ServiceRow service)
    {
        if (service.fwmark() != 0)
        {
            return "FWM  " + service.fwmark();
        }
        return cut(IpProtocol.name(service.protocol()) + "  " + endpoint(service.address(), service.port()),
            SERVICE_NAME_WIDTH);
    }

    /** Scheduler flags, persistence and ops, in ipvsadm's order and words. */
    private static void appendFlags(final StringBuilder out, final ServiceRow service)
    {
        final String flags = schedulerFlagNames(service.scheduler(), service.schedulerFlags());
        if (!flags.isEmpty())
        {
            out.append(" (").append(flags).append(')');
        }
        if (service.persistenceTimeoutSeconds() > 0)
        {
            out.append(" persistent ").append(service.persistenceTimeoutSeconds());
            if (service.persistenceNetmask() != HOST_NETMASK)
            {
                out.append(" mask ").append(Ipv4.toString(service.persistenceNetmask()));
            }
        }
        if (service.onePacket())
        {
            out.append(" ops");
        }
    }

    /**
     * ipvsadm names IPVS's scheduler flags after the scheduler that gives them a meaning ({@code sh-fallback},
     * {@code mh-port}) and {@code flag-N} for any other.
     */
    public static String schedulerFlagNames(final String scheduler, final int bits)
    {
        final boolean first = (bits & (SchedulerFlags.SH_FALLBACK | SchedulerFlags.MH_FALLBACK)) != 0;
        final boolean second = (bits & (SchedulerFlags.SH_PORT | SchedulerFlags.MH_PORT)) != 0;
        final String prefix = "sh".equals(scheduler) || "mh".equals(scheduler) ? scheduler + '-' : null;
        final List<String> names = new ArrayList<>(2);
        if (first)
        {
            names.add(prefix != null ? prefix + "fallback" : "flag-1");
        }
        if (second)
        {
            names.add(prefix != null ? prefix + "port" : "flag-2");
        }
        return String.join(",", names);
    }

    private static void appendStats(final StringBuilder out, final Stats stats, final boolean exact)
    {
        appendLargeNumber(out, stats.conns(), exact);
        appendLargeNumber(out, stats.inPkts(), exact);
        appendLargeNumber(out, stats.outPkts(), exact);
        appendLargeNumber(out, stats.inBytes(), exact);
        appendLargeNumber(out, stats.outBytes(), exact);
    }

    private static void appendRates(final StringBuilder out, final Rates rates, final boolean exact)
    {
        appendLargeNumber(out, rates.cps(), exact);
        appendLargeNumber(out, rates.inPps(), exact);
        appendLargeNumber(out, rates.outPps(), exact);
        appendLargeNumber(out, rates.inBps(), exact);
        appendLargeNumber(out, rates.outBps(), exact);
    }

    /** ipvsadm's print_largenum: 9 columns, scaled with K/M/G/T past 100 million unless {@code --exact}. */
    static void appendLargeNumber(final StringBuilder out, final long value, final boolean exact)
    {
        if (exact)
        {
            final int digits = Long.toString(value).length();
            final int width = digits <= EXACT_MAX_DIGITS_IN_MIN_WIDTH ? EXACT_MIN_WIDTH : digits + 1;
            out.append(format("%" + width + "d", value));
        }
        else if (value < WHOLE_LIMIT)
        {
            out.append(format("%9d", value));
        }
        else if (value < KILO_LIMIT)
        {
            out.append(format("%8dK", value / KILO));
        }
        else if (value < MEGA_LIMIT)
        {
            out.append(format("%8dM", value / MEGA));
        }
        else if (value < GIGA_LIMIT)
        {
            out.append(format("%8dG", value / GIGA));
        }
        else
        {
            out.append(format("%8dT", value / TERA));
        }
    }

    private static String endpoint(final int address, final int port)
    {
        return Ipv4.toString(address) + ':' + port;
    }

    private static String cut(final String text, final int width)
    {
        return text.length() > width ? text.substring(0, width) : text;
    }

    private static String format(final String pattern, final Object... args)
    {
        return String.format(Locale.ROOT, pattern, args);
    }
}
