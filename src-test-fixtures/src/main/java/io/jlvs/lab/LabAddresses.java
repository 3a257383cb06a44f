package io.jlvs.lab;

import java.util.regex.Pattern;

/**
 * The lab's address plan, in one place, and the text forms of IPv4 and MAC addresses that {@code ip} speaks.
 * <p>
 * Everything comes from 198.18.0.0/15 (RFC 2544's benchmarking range), so that nothing the lab sends can be mistaken
 * for, or routed to, a real network:
 * <pre>
 *   segment 198.18.0.0/24 (the bridge)          probe link 198.19.0.0/24
 *     .1          router eth0 (optional)           .2   director eth1
 *     .2          director eth0                    .10  probe eth0
 *     .10, .20 .. client 1, 2 ..
 *     .100        VIP (default; on real servers' lo only)   routed segment 198.19.1.0/24 (behind the router)
 *     .101, .102  real server 1, 2 ..                          .1          router eth1
 *                                                              .11, .12 .. routed real server 1, 2 ..
 * </pre>
 * Addresses are IPv4 ints in host byte order; MAC addresses are longs holding 48 bits, the first byte in bits 40..47.
 */
public final class LabAddresses
{
    /** The L2 segment shared by clients, the director's first interface and the real servers. */
    public static final int SEGMENT = ipv4(198, 18, 0, 0);
    /** Prefix length of {@link #SEGMENT} and of {@link #PROBE_SEGMENT}. */
    public static final int PREFIX_LENGTH = 24;
    /** The separate link between the director's second interface and the probe. */
    public static final int PROBE_SEGMENT = ipv4(198, 19, 0, 0);
    /** The director's address on its first interface (the director interface). */
    public static final int DIRECTOR = SEGMENT + 2;
    /** The director's address on its second interface, towards the probe. */
    public static final int DIRECTOR_PROBE_SIDE = PROBE_SEGMENT + 2;
    /** The probe's address. */
    public static final int PROBE = PROBE_SEGMENT + 10;
    /** The default virtual IP. */
    public static final int DEFAULT_VIP = SEGMENT + 100;
    /** The router's address on the segment: the gateway to {@link #ROUTED_SEGMENT} for the segment's hosts. */
    public static final int ROUTER = SEGMENT + 1;
    /** The subnet behind the router, where TUN real servers live that the director cannot reach on its link. */
    public static final int ROUTED_SEGMENT = ipv4(198, 19, 1, 0);
    /** The router's address on {@link #ROUTED_SEGMENT}: the routed real servers' default gateway. */
    public static final int ROUTER_ROUTED_SIDE = ROUTED_SEGMENT + 1;

    /** Client k sits at .10 × k, so clients and real servers never meet however many of each. */
    private static final int CLIENT_STEP = 10;
    /** Real server n sits at .100 + n: "rs1 is .101". */
    private static final int REAL_SERVER_BASE = 100;
    /** Host part bounds of a /24: .0 is the network, .255 the broadcast. */
    private static final int LAST_HOST = 254;
    /** Largest client count whose addresses stay below the VIP's .100. */
    public static final int MAX_CLIENTS = 9;
    /** Largest real server count whose addresses stay inside the /24 (.101 .. .254). */
    public static final int MAX_REAL_SERVERS = LAST_HOST - REAL_SERVER_BASE;
    /** Routed real server n sits at 198.19.1.10 + n: "rr1 is .11", clear of the router's .1. */
    private static final int ROUTED_REAL_SERVER_BASE = 10;
    /** Largest routed real server count whose addresses stay inside the /24 (.11 .. .254). */
    public static final int MAX_ROUTED_REAL_SERVERS = LAST_HOST - ROUTED_REAL_SERVER_BASE;

    private static final int BENCHMARK_RANGE = ipv4(198, 18, 0, 0);
    private static final int BENCHMARK_RANGE_PREFIX_LENGTH = 15;
    private static final Pattern DECIMAL_OCTET = Pattern.compile("[0-9]{1,3}");
    private static final int MAC_BYTES = 6;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private LabAddresses()
    {
    }

    /** Address of client {@code k}, 1-based. */
    public static int client(final int k)
    {
        if (k < 1 || k > MAX_CLIENTS)
        {
            throw new IllegalArgumentException("client must be 1.." + MAX_CLIENTS + ", client=" + k);
        }
        return SEGMENT + CLIENT_STEP * k;
    }

    /** Address of real server {@code n}, 1-based. */
    public static int realServer(final int n)
    {
        if (n < 1 || n > MAX_REAL_SERVERS)
        {
            throw new IllegalArgumentException("real server must be 1.." + MAX_REAL_SERVERS + ", realServer=" + n);
        }
        return SEGMENT + REAL_SERVER_BASE + n;
    }

    /** Address of routed real server {@code n} (behind the router), 1-based. */
    public static int routedRealServer(final int n)
    {
        if (n < 1 || n > MAX_ROUTED_REAL_SERVERS)
        {
            throw new IllegalArgumentException("routed real server must be 1.." + MAX_ROUTED_REAL_SERVERS +
                ", routedRealServer=" + n);
        }
        return ROUTED_SEGMENT + ROUTED_REAL_SERVER_BASE + n;
    }

    /** Whether {@code address} is a usable host address of the /24 that starts at {@code segment}. */
    public static boolean isHostOf(final int segment, final int address)
    {
        final int host = address - segment;
        return (address & prefixMask(PREFIX_LENGTH)) == segment && host >= 1 && host <= LAST_HOST;
    }

    /** Whether {@code address} is inside 198.18.0.0/15, the only range the lab ever uses. */
    public static boolean isBenchmarkRange(final int address)
    {
        return (address & prefixMask(BENCHMARK_RANGE_PREFIX_LENGTH)) == BENCHMARK_RANGE;
    }

    /** {@code a.b.c.d} as an int in host byte order. */
    public static int ipv4(final int a, final int b, final int c, final int d)
    {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /** Parses dotted-quad text. */
    public static int parseIpv4(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int address = 0;
        for (final String part : parts)
        {
            if (!DECIMAL_OCTET.matcher(part).matches() || Integer.parseInt(part) > 0xFF)
            {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }

    /** Dotted-quad text of {@code address}. */
    public static String formatIpv4(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /** The four bytes of {@code address} in network order, as {@link java.net.InetAddress} wants them. */
    static byte[] networkOrder(final int address)
    {
        return new byte[] {(byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address};
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (as {@code ip} prints it) into 48 bits. */
    public static long parseMac(final String text)
    {
        final String[] parts = text.split(":", -1);
        if (parts.length != MAC_BYTES)
        {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long mac = 0;
        for (final String part : parts)
        {
            if (part.length() != 2)
            {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            try
            {
                mac = (mac << 8) | Integer.parseInt(part, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'", ex);
            }
        }
        return mac;
    }

    /** {@code aa:bb:cc:dd:ee:ff} text of the low 48 bits of {@code mac}. */
    public static String formatMac(final long mac)
    {
        final long bits = mac & MAC_MASK;
        final StringBuilder text = new StringBuilder(3 * MAC_BYTES - 1);
        for (int shift = 8 * (MAC_BYTES - 1); shift >= 0; shift -= 8)
        {
            if (text.length() > 0)
            {
                text.append(':');
            }
            final int octet = (int)((bits >>> shift) & 0xFF);
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    private static int prefixMask(final int prefixLength)
    {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
