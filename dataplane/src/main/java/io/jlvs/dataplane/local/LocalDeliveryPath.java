package io.jlvs.dataplane.local;

import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.scheduler.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * What the host needs when the director is also one of the real servers (ipvsadm's "Local" forwarding), and its
 * teardown.
 * <p>
 * The host holds the VIP on lo (it is a real server), so its kernel would accept every frame for the VIP that
 * arrives on the director interface — also the ones jlvs sends to other real servers — and both would answer the
 * client. So:
 * <ul>
 *   <li>an nftables netdev-ingress rule on the director interface drops IPv4 frames to the VIPs. The packet
 *   socket is a tap, which the kernel serves before the ingress hook, so jlvs still sees every frame; the host's
 *   stack sees none;</li>
 *   <li>the frames jlvs schedules to the local server reach the stack through a veth pair: jlvs sends them out of
 *   {@code jlvsl0} (batched, like every other TX) and the stack receives them on {@code jlvsl1}, with the reverse
 *   path filter loose there (the client is reachable through the director interface, not through the veth) and a
 *   link-local /32 on it, without which the reverse-path check drops everything that arrives there.</li>
 * </ul>
 * Replies leave by the normal routes, straight to the client, as any DR real server's do. Everything is created in
 * one table ({@code netdev jlvs}) and one veth pair, removed on {@link #close()} and, should jlvs have been killed,
 * before being created again.
 */
public final class LocalDeliveryPath implements AutoCloseable
{
    /** The side jlvs sends on. */
    public static final String SEND_SIDE = "jlvsl0";
    /** The side the host's stack receives on. */
    public static final String STACK_SIDE = "jlvsl1";
    public static final String NFT_TABLE = "jlvs";
    private static final String NFT_FAMILY = "netdev";
    private static final String NFT_CHAIN = "vip_ingress";
    private static final String NFT_SET = "vips";
    /** Before any other ingress hook the host may have: the VIP frames must be gone before anyone else looks. */
    private static final int NFT_PRIORITY = -500;
    /** Link-local, /32: no route to anything but itself, and nothing else on the host uses it. */
    private static final String STACK_SIDE_ADDRESS = "169.254.253.1/32";
    /** Loose reverse-path filtering: the source (a client) is reachable, only not through this veth. */
    private static final String RP_FILTER_LOOSE = "2";

    private final HostCommands host;
    private final String directorInterface;
    private final PacketTransport[] transports;
    private final long stackSideMac;
    private boolean closed;

    private LocalDeliveryPath(
        final HostCommands host, final String directorInterface, final PacketTransport[] transports,
        final long stackSideMac)
    {
        this.host = host;
        this.directorInterface = directorInterface;
        this.transports = transports;
        this.stackSideMac = stackSideMac;
    }

    /**
     * Builds the path: removes leftovers of a killed run, creates the veth pair and the nftables table, and opens the
     * send side with {@code openTransport} (which must open it in the director's namespace).
     *
     * @throws IOException naming the step that failed; whatever was built is removed first.
     */
    public static LocalDeliveryPath open(
        final HostCommands host,
        final String directorInterface,
        final int[] vips,
        final Function<String, PacketTransport> openTransport) throws IOException
    {
        return open(host, directorInterface, vips, openTransport, 1);
    }

    /** As {@link #open(HostCommands, String, int[], Function)}, with one send-side transport per forwarding worker. */
    public static LocalDeliveryPath open(
        final HostCommands host,
        final String directorInterface,
        final int[] vips,
        final Function<String, PacketTransport> openTransport,
        final int workers) throws IOException
    {
        removeLeftovers(host);
        try
        {
            host.run("ip", "link", "add", SEND_SIDE, "type", "veth", "peer", "name", STACK_SIDE);
            host.run("sysctl", "-q", "-w", "net.ipv6.conf." + SEND_SIDE + ".disable_ipv6=1");
            host.run("sysctl", "-q", "-w", "net.ipv6.conf." + STACK_SIDE + ".disable_ipv6=1");
            host.run("sysctl", "-q", "-w", "net.ipv4.conf." + STACK_SIDE + ".rp_filter=" + RP_FILTER_LOOSE);
            // The reverse-path check rejects every packet that arrives on an interface with no IPv4 address at all
            // (fib_validate_source's "no_addr"), loose mode included: give the stack side a link-local /32.
            host.run("ip", "addr", "add", STACK_SIDE_ADDRESS, "dev", STACK_SIDE, "scope", "link");
            host.run("ip", "link", "set", SEND_SIDE, "up");
            host.run("ip", "link", "set", STACK_SIDE, "up");
            final long mac = parseMac(host.run("cat", "/sys/class/net/" + STACK_SIDE + "/address"));
            host.run("nft", "add table " + NFT_FAMILY + " " + NFT_TABLE);
            host.run("nft", "add chain " + NFT_FAMILY + " " + NFT_TABLE + " " + NFT_CHAIN +
                " { type filter hook ingress device \"" + directorInterface + "\" priority " + NFT_PRIORITY +
                "; policy accept; }");
            host.run("nft", "add set " + NFT_FAMILY + " " + NFT_TABLE + " " + NFT_SET + " { type ipv4_addr; }");
            host.run("nft", "add rule " + NFT_FAMILY + " " + NFT_TABLE + " " + NFT_CHAIN +
                " ip daddr @" + NFT_SET + " drop");
            final PacketTransport[] transports = new PacketTransport[workers];
            try
            {
                for (int w = 0; w < workers; w++)
                {
                    transports[w] = openTransport.apply(SEND_SIDE);
                }
            }
            catch (final RuntimeException ex)
            {
                for (final PacketTransport opened : transports)
                {
                    if (opened != null)
                    {
                        opened.close();
                    }
                }
                throw ex;
            }
            final LocalDeliveryPath path = new LocalDeliveryPath(host, directorInterface, transports, mac);
            path.virtualAddresses(vips);
            return path;
        }
        catch (final IOException | RuntimeException ex)
        {
            removeLeftovers(host);
            throw ex;
        }
    }

    /** Control plane: the VIPs whose frames the host's stack must not see directly. */
    public void virtualAddresses(final int[] vips) throws IOException
    {
        final StringJoiner elements = new StringJoiner(", ", "{ ", " }");
        Arrays.stream(vips).forEach(vip -> elements.add(Ipv4.toString(vip)));
        host.run("nft", "flush set " + NFT_FAMILY + " " + NFT_TABLE + " " + NFT_SET);
        if (vips.length > 0)
        {
            host.run("nft", "add element " + NFT_FAMILY + " " + NFT_TABLE + " " + NFT_SET + " " + elements);
        }
    }

    /** One send-side transport per forwarding worker; each worker queues its local frames on its own. */
    public PacketTransport[] transports()
    {
        return transports.clone();
    }

    /** The MAC of the stack side: the destination of every frame delivered locally. */
    public long stackSideMac()
    {
        return stackSideMac;
    }

    public String directorInterface()
    {
        return directorInterface;
    }

    /** Whether a table of ours is installed (for tests and the doctor). */
    public static boolean isInstalled(final HostCommands host)
    {
        try
        {
            return host.run("nft", "list tables " + NFT_FAMILY).contains(NFT_TABLE);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Whether this machine has the nft command at all. */
    public static boolean nftAvailable()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, "nft")))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            for (final PacketTransport transport : transports)
            {
                transport.close();
            }
        }
        finally
        {
            removeLeftovers(host);
        }
    }

    private static void removeLeftovers(final HostCommands host)
    {
        host.runQuietly("nft", "delete table " + NFT_FAMILY + " " + NFT_TABLE);
        host.runQuietly("ip", "link", "del", SEND_SIDE);
    }

    private static long parseMac(final String text)
    {
        final String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
        if (parts.length != 6)
        {
            throw new IllegalStateException("not a MAC address: '" + text.trim() + "'");
        }
        long mac = 0;
        for (final String part : parts)
        {
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }
}
