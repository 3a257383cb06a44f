package io.jlvs.dataplane.route;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable snapshot of the host's main IPv4 routing table, as {@code /proc/net/route} shows it, answering
 * "where does a packet to this address go next" by longest prefix match: {@link #nextHop(int)} gives the gateway,
 * or the destination itself when it is on-link, and {@link #interfaceName(int)} the interface. Built on the control
 * plane ({@link #parse}, {@link #readCurrentThreadNamespace()}); queries allocate nothing and never throw.
 * <p>
 * Among routes with the same prefix the lowest metric wins, as in the kernel. A reject route
 * ({@code ip route add unreachable|prohibit|blackhole ...}) makes its prefix unreachable. What this file cannot show
 * is left out: other routing tables and policy rules, and every nexthop of a multipath route but the first
 * (the kernel prints {@code fib_nh[0]} only). Lookups are a scan of the routes in prefix-length order: a host's
 * table has tens of routes, and the forwarding thread looks up each real server once per table, not per packet.
 */
public final class RouteTable
{
    /** {@link #find(int)}: no route, or a reject route. */
    public static final int NO_ROUTE = -1;
    /** {@link #nextHop(int)}: no usable route. 0.0.0.0 is never a next hop. */
    public static final int UNREACHABLE = 0;
    /**
     * The routes of the calling thread's network namespace. Not {@code /proc/net/route}: {@code /proc/net} links to
     * {@code /proc/self/net}, which shows the namespace of the process's main thread, not of a thread that entered
     * another one with setns(2).
     */
    public static final Path THREAD_ROUTE_FILE = Path.of("/proc/thread-self/net/route");
    /** Kernels before 3.17 have no {@code /proc/thread-self}; there only the main thread's namespace can be read. */
    public static final Path PROCESS_ROUTE_FILE = Path.of("/proc/self/net/route");
    public static final RouteTable EMPTY =
        new RouteTable(new int[0], new int[0], new int[0], new int[0], new int[0], new String[0]);

    /** {@code RTF_UP}: the route is usable. */
    static final int RTF_UP = 0x0001;
    /** {@code RTF_GATEWAY}: the destination is reached through the gateway. */
    static final int RTF_GATEWAY = 0x0002;
    /** {@code RTF_REJECT}: unreachable, prohibit and blackhole routes. */
    static final int RTF_REJECT = 0x0200;

    private static final String IFACE = "Iface";
    private static final String DESTINATION = "Destination";
    private static final String GATEWAY = "Gateway";
    private static final String FLAGS = "Flags";
    private static final String METRIC = "Metric";
    private static final String MASK = "Mask";
    private static final int HEX = 16;
    private static final int OCTET_MASK = 0xFF;
    private static final int BITS_PER_OCTET = 8;
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final int[] destinations;
    private final int[] masks;
    private final int[] gateways;
    private final int[] metrics;
    private final String[] interfaces;
    private final boolean[] reject;
    private final boolean[] viaGateway;

    private RouteTable(
        final int[] destinations, final int[] masks, final int[] gateways, final int[] metrics, final int[] flags,
        final String[] interfaces)
    {
        this.destinations = destinations;
        this.masks = masks;
        this.gateways = gateways;
        this.metrics = metrics;
        this.interfaces = interfaces;
        this.reject = new boolean[destinations.length];
        this.viaGateway = new boolean[destinations.length];
        for (int i = 0; i < destinations.length; i++)
        {
            reject[i] = (flags[i] & RTF_REJECT) != 0;
            viaGateway[i] = (flags[i] & RTF_GATEWAY) != 0 && gateways[i] != 0;
        }
    }

    /**
     * Reads the routing table of the network namespace the calling thread is in (enter it first, on this thread:
     * the lab's {@code NetworkNamespace}, or the director's own thread).
     *
     * @throws IOException when the file cannot be read or does not parse.
     */
    public static RouteTable readCurrentThreadNamespace() throws IOException
    {
        return read(Files.exists(THREAD_ROUTE_FILE) ? THREAD_ROUTE_FILE : PROCESS_ROUTE_FILE);
    }

    /** Reads a file in {@code /proc/net/route}'s format. */
    public static RouteTable read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        try
        {
            return parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Parses {@code /proc/net/route} text: a header line naming the columns, then one route a line with addresses
     * as the kernel prints them ({@code %08X} of the network-order word read as a native integer).
     *
     * @throws IllegalArgumentException naming the line when the text is not in that format.
     */
    public static RouteTable parse(final String text)
    {
        final String[] lines = text.split("\n");
        if (lines.length == 0 || lines[0].isBlank())
        {
            throw new IllegalArgumentException("no header line");
        }
        final List<String> header = Arrays.asList(lines[0].trim().split("\\s+"));
        final int ifaceColumn = column(header, IFACE);
        final int destinationColumn = column(header, DESTINATION);
        final int gatewayColumn = column(header, GATEWAY);
        final int flagsColumn = column(header, FLAGS);
        final int metricColumn = column(header, METRIC);
        final int maskColumn = column(header, MASK);
        final int columns = header.size();

        final List<long[]> parsed = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int n = 1; n < lines.length; n++)
        {
            final String line = lines[n].trim();
            if (line.isEmpty())
            {
                continue;
            }
            final String[] fields = line.split("\\s+");
            if (fields.length < columns)
            {
                throw new IllegalArgumentException("line " + (n + 1) + " has " + fields.length + " fields, the header " +
                    columns + ": '" + line + "'");
            }
            final int flags = hex(fields[flagsColumn], n);
            if ((flags & RTF_UP) == 0)
            {
                continue;
            }
            final int mask = address(fields[maskColumn], n);
            final int inverse = ~mask;
            if ((inverse & (inverse + 1)) != 0)
            {
                throw new IllegalArgumentException("line " + (n + 1) + " has a non-contiguous mask " +
                    fields[maskColumn]);
            }
            final int destination = address(fields[destinationColumn], n) & mask;
            final int gateway = address(fields[gatewayColumn], n);
            final int metric;
            try
            {
                metric = Integer.parseInt(fields[metricColumn]);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("line " + (n + 1) + " has metric '" + fields[metricColumn] + "'", ex);
            }
            parsed.add(new long[] {destination, mask, gateway, metric, flags, parsed.size()});
            names.add(fields[ifaceColumn]);
        }
        // Longest prefix first; the kernel prefers the lowest metric among equal prefixes; then file order.
        final Comparator<long[]> order = Comparator
            .comparingInt((long[] route) -> -Integer.bitCount((int)route[1]))
            .thenComparingLong(route -> route[3])
            .thenComparingLong(route -> route[5]);
        parsed.sort(order);
        final int count = parsed.size();
        final int[] destinations = new int[count];
        final int[] masks = new int[count];
        final int[] gateways = new int[count];
        final int[] metrics = new int[count];
        final int[] flags = new int[count];
        final String[] interfaces = new String[count];
        for (int i = 0; i < count; i++)
        {
            final long[] route = parsed.get(i);
            destinations[i] = (int)route[0];
            masks[i] = (int)route[1];
            gateways[i] = (int)route[2];
            metrics[i] = (int)route[3];
            flags[i] = (int)route[4];
            interfaces[i] = names.get((int)route[5]);
        }
        return new RouteTable(destinations, masks, gateways, metrics, flags, interfaces);
    }

    private static int column(final List<String> header, final String name)
    {
        final int index = header.indexOf(name);
        if (index < 0)
        {
            throw new IllegalArgumentException("header has no column " + name + ": " + header);
        }
        return index;
    }

    private static int hex(final String field, final int line)
    {
        try
        {
            return (int)Long.parseLong(field, HEX);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("line " + (line + 1) + " has '" + field + "' where hex was expected", ex);
        }
    }

    /** The kernel prints the network-order word as a native integer: on little-endian hosts the bytes come reversed. */
    private static int address(final String field, final int line)
    {
        final int printed = hex(field, line);
        return NATIVE_LITTLE_ENDIAN ? Integer.reverseBytes(printed) : printed;
    }

    /**
     * The route a packet to {@code destination} (host order) takes: an index for the accessors below, or
     * {@link #NO_ROUTE} when no route matches or the best match is a reject route.
     */
    public int find(final int destination)
    {
        for (int i = 0; i < destinations.length; i++)
        {
            if ((destination & masks[i]) == destinations[i])
            {
                return reject[i] ? NO_ROUTE : i;
            }
        }
        return NO_ROUTE;
    }

    /**
     * Where a packet to {@code destination} is handed next: the route's gateway, or {@code destination} itself when
     * it is on-link; {@link #UNREACHABLE} without a usable route.
     */
    public int nextHop(final int destination)
    {
        final int route = find(destination);
        if (route == NO_ROUTE)
        {
            return UNREACHABLE;
        }
        return viaGateway[route] ? gateways[route] : destination;
    }

    /** The interface a packet to {@code destination} leaves through, or null without a usable route. */
    public String interfaceFor(final int destination)
    {
        final int route = find(destination);
        return route == NO_ROUTE ? null : interfaces[route];
    }

    public String interfaceName(final int route)
    {
        return interfaces[route];
    }

    /** The route's gateway, or 0 for an on-link route. */
    public int gateway(final int route)
    {
        return viaGateway[route] ? gateways[route] : 0;
    }

    public boolean isOnLink(final int route)
    {
        return !viaGateway[route];
    }

    public int destination(final int route)
    {
        return destinations[route];
    }

    public int prefixLength(final int route)
    {
        return Integer.bitCount(masks[route]);
    }

    public int metric(final int route)
    {
        return metrics[route];
    }

    /** Routes in the table, reject routes included, in lookup order. */
    public int size()
    {
        return destinations.length;
    }

    /** One line per route, in lookup order, like {@code ip route}: for logs and {@code jlvs list}. */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < destinations.length; i++)
        {
            if (reject[i])
            {
                out.append("unreachable ");
            }
            out.append(format(destinations[i])).append('/').append(prefixLength(i));
            if (viaGateway[i])
            {
                out.append(" via ").append(format(gateways[i]));
            }
            out.append(" dev ").append(interfaces[i]).append(" metric ").append(metrics[i]).append('\n');
        }
        return out.toString();
    }

    private static String format(final int address)
    {
        final StringBuilder dotted = new StringBuilder();
        for (int shift = Integer.SIZE - BITS_PER_OCTET; shift >= 0; shift -= BITS_PER_OCTET)
        {
            dotted.append((address >>> shift) & OCTET_MASK);
            if (shift > 0)
            {
                dotted.append('.');
            }
        }
        return dotted.toString();
    }
}
