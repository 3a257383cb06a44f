package io.jlvs.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A director's world in network namespaces: a bridge (the L2 segment), clients, N real servers with the VIP on lo,
 * and an empty director namespace with two interfaces, for integration tests and {@code bin/jlvs demo}.
 * <p>
 * <pre>
 *                         [prefix-br: bridge br0]
 *        eth0 |            eth0 |               eth0 |  ...
 *   [prefix-cl]        [prefix-dir] eth1 ----- eth0 [prefix-pr]      [prefix-rs1] [prefix-rs2] ...
 *   198.18.0.10        198.18.0.2    198.19.0.2  198.19.0.10         .101 + VIP/32 on lo, HTTP :80, UDP :5353
 * </pre>
 * With {@link LabSpec#withRouter()}, a router joins the segment and leads to a second one (for TUN real servers the
 * director cannot reach on its own link):
 * <pre>
 *   [prefix-br: bridge br0] --- eth0 [prefix-rt] eth1 --- [prefix-br: bridge br1] --- eth0 [prefix-rr1] ...
 *                        198.18.0.1, ip_forward=1  198.19.1.1        198.19.1.11 + VIP/32 on lo, default via .1
 * </pre>
 * The clients and the director then route 198.19.1.0/24 via 198.18.0.1; the routed real servers run the same HTTP
 * and UDP servers as the others and answer with their names ({@code rr1}, ...). With
 * {@link LabSpec#routerLinkMtu()} below the lab's MTU, the router forwards no larger packet between the two segments
 * and answers larger DF packets with ICMP fragmentation-needed, in both directions.
 * The lab knows nothing of jlvs: the caller starts the director by entering {@link #directorNamespace()} with
 * {@link NetworkNamespace} and opening its packet socket on {@link #directorInterface()} there, and closes it before
 * the lab. Nothing answers for the VIP until it does: the VIP is not configured in the director namespace, the
 * real servers ignore ARP for it (arp_ignore=1, arp_announce=2), and ip_forward stays 0.
 * <p>
 * Every name starts with a per-run prefix ({@code jl} and 6 hex digits); {@link #close()} deletes every namespace
 * with it, and runs as a shutdown hook while the lab is open. A run killed before it could do so is swept by the
 * next {@link #start} (see {@link #sweepStale()}). No default route exists anywhere but on the routed real servers,
 * towards the router; no route leads out of the lab.
 */
public final class Lab implements AutoCloseable
{
    /** The real servers' HTTP port. */
    public static final int HTTP_PORT = 80;
    /** The real servers' UDP port (mDNS's number; the lab runs no mDNS, it is only a port outside the TCP tests'). */
    public static final int UDP_PORT = 5353;
    /** Every host's interface on the segment; the director's is the one jlvs serves. */
    public static final String HOST_INTERFACE = "eth0";
    /** The director's second interface, on the probe link: ARP for the VIP arriving there must go unanswered. */
    public static final String DIRECTOR_SECOND_INTERFACE = "eth1";
    /** The bridge, in the bridge namespace. */
    public static final String BRIDGE = "br0";
    /** The routed segment's bridge, in the bridge namespace too (another L2 domain, joined only by the router). */
    public static final String ROUTED_BRIDGE = "br1";
    /** The router's interface on the routed segment (its {@link #HOST_INTERFACE} is on the first one). */
    public static final String ROUTER_ROUTED_INTERFACE = "eth1";

    private static final String BRIDGE_ROLE = "br";
    private static final String CLIENT_ROLE = "cl";
    private static final String DIRECTOR_ROLE = "dir";
    private static final String PROBE_ROLE = "pr";
    private static final String REAL_SERVER_ROLE = "rs";
    private static final String ROUTER_ROLE = "rt";
    private static final String ROUTED_REAL_SERVER_ROLE = "rr";
    /** The bridge port of the router's second interface, on {@link #ROUTED_BRIDGE}. */
    private static final String ROUTER_ROUTED_PORT = ROUTER_ROLE + "-" + ROUTED_REAL_SERVER_ROLE;
    /** Links come up and bridge ports start forwarding in milliseconds (STP is off); this only bounds a failure. */
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long READY_POLL_MS = 10;
    private static final Path PROC_SYS = Path.of("/proc/sys");
    private static final String LLADDR = "lladdr";
    private static final String LINK_ETHER = "link/ether";

    private final LabSpec spec;
    private final String prefix;
    private final List<ClientHost> clients;
    private final ClientHost probe;
    private final List<RealServerHost> realServers;
    private final List<RealServerHost> routedServers;
    /** Whether this lab added the host's blackhole route for the lab range (and so removes it). */
    private boolean ownsHostGuard;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lab(final LabSpec spec, final String prefix)
    {
        this.spec = spec;
        this.prefix = prefix;
        final List<ClientHost> clientList = new ArrayList<>();
        for (int k = 1; k <= spec.clientCount(); k++)
        {
            clientList.add(new ClientHost(namespace(clientRole(k)), LabAddresses.client(k)));
        }
        this.clients = Collections.unmodifiableList(clientList);
        this.probe = spec.withProbe() ? new ClientHost(namespace(PROBE_ROLE), LabAddresses.PROBE) : null;
        final List<RealServerHost> servers = new ArrayList<>();
        for (int n = 1; n <= spec.realServerCount(); n++)
        {
            servers.add(new RealServerHost(REAL_SERVER_ROLE + n, namespace(REAL_SERVER_ROLE + n),
                LabAddresses.realServer(n), spec.vip()));
        }
        this.realServers = Collections.unmodifiableList(servers);
        final List<RealServerHost> routed = new ArrayList<>();
        for (int n = 1; n <= spec.routedRealServerCount(); n++)
        {
            routed.add(new RealServerHost(ROUTED_REAL_SERVER_ROLE + n, namespace(ROUTED_REAL_SERVER_ROLE + n),
                LabAddresses.routedRealServer(n), spec.vip()));
        }
        this.routedServers = Collections.unmodifiableList(routed);
        this.shutdownHook = new Thread(this::close, prefix + "-teardown");
    }

    /**
     * Sweeps stale labs, then builds one to {@code spec} with its servers running and every link forwarding.
     *
     * @throws LabBuildException naming the prefix, after tearing down whatever had been built.
     * @throws IOException       when the lab cannot run here at all (not root, no iproute2); nothing was built.
     */
    public static Lab start(final LabSpec spec) throws IOException
    {
        final Optional<String> unavailable = LabRequirements.unavailableReason();
        if (unavailable.isPresent())
        {
            throw new IOException("the lab cannot run here: " + unavailable.get());
        }
        sweepStale();
        final Lab lab = new Lab(spec, LabRegistry.claimPrefix());
        try
        {
            Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
            lab.ownsHostGuard = HostGuard.install();
            lab.build();
            return lab;
        }
        catch (final Exception | Error ex)
        {
            try
            {
                lab.close();
            }
            catch (final RuntimeException closeFailure)
            {
                ex.addSuppressed(closeFailure);
            }
            if (ex instanceof Error)
            {
                throw (Error)ex;
            }
            throw new LabBuildException(lab.prefix, ex);
        }
    }

    /** {@link #start} with {@link LabSpec#defaults()}. */
    public static Lab start() throws IOException
    {
        return start(LabSpec.defaults());
    }

    /**
     * Deletes the namespaces of earlier labs ({@code jl<6 hex>-*}) whose owning process is gone, and their claims.
     * Labs of live processes, this one's included, are left alone.
     *
     * @return the namespaces deleted.
     */
    public static List<String> sweepStale() throws IOException
    {
        return LabRegistry.sweepStale();
    }

    public LabSpec spec()
    {
        return spec;
    }

    /** {@code jl} and 6 hex digits: every namespace of this lab is {@code prefix + "-" + role}. */
    public String prefix()
    {
        return prefix;
    }

    /** Every namespace this lab builds, bridge first, the router and the routed real servers last. */
    public List<String> namespaces()
    {
        final List<String> names = new ArrayList<>();
        names.add(bridgeNamespace());
        for (final ClientHost client : clients)
        {
            names.add(client.namespace());
        }
        names.add(directorNamespace());
        if (probe != null)
        {
            names.add(probe.namespace());
        }
        for (final RealServerHost server : realServers)
        {
            names.add(server.namespace());
        }
        if (spec.withRouter())
        {
            names.add(namespace(ROUTER_ROLE));
        }
        for (final RealServerHost server : routedServers)
        {
            names.add(server.namespace());
        }
        return names;
    }

    public String bridgeNamespace()
    {
        return namespace(BRIDGE_ROLE);
    }

    /** The first client's namespace. */
    public String clientNamespace()
    {
        return client().namespace();
    }

    public String directorNamespace()
    {
        return namespace(DIRECTOR_ROLE);
    }

    /** @throws IllegalStateException when the spec has no probe. */
    public String probeNamespace()
    {
        return probe().namespace();
    }

    /** Real server {@code n}'s namespace, 1-based. */
    public String realServerNamespace(final int n)
    {
        return realServer(n).namespace();
    }

    /** @throws IllegalStateException when the spec has no router. */
    public String routerNamespace()
    {
        requireRouter();
        return namespace(ROUTER_ROLE);
    }

    /** Routed real server {@code n}'s namespace, 1-based. */
    public String routedRealServerNamespace(final int n)
    {
        return routedServer(n).namespace();
    }

    /** The director's interface on the segment, in {@link #directorNamespace()}: the one jlvs serves. */
    public String directorInterface()
    {
        return HOST_INTERFACE;
    }

    /** The director's interface towards the probe. */
    public String directorSecondInterface()
    {
        return DIRECTOR_SECOND_INTERFACE;
    }

    public int vip()
    {
        return spec.vip();
    }

    /** The director's own address on {@link #directorInterface()}. */
    public int directorAddress()
    {
        return LabAddresses.DIRECTOR;
    }

    /** The director's own address on {@link #directorSecondInterface()}. */
    public int directorSecondAddress()
    {
        return LabAddresses.DIRECTOR_PROBE_SIDE;
    }

    /**
     * The router's address on the segment (198.18.0.1): the director's and the clients' gateway to the routed
     * segment, and the source of its ICMP errors.
     *
     * @throws IllegalStateException when the spec has no router.
     */
    public int routerAddress()
    {
        requireRouter();
        return LabAddresses.ROUTER;
    }

    /** The router's address on the routed segment (198.19.1.1), the routed real servers' default gateway. */
    public int routerRoutedSideAddress()
    {
        requireRouter();
        return LabAddresses.ROUTER_ROUTED_SIDE;
    }

    /** The MAC of the router's interface on the segment: what frames it forwards to the segment come from. */
    public String routerMac() throws IOException
    {
        return interfaceMac(routerNamespace(), HOST_INTERFACE);
    }

    /** The first client's address. */
    public int clientAddress()
    {
        return client().address();
    }

    public int realServerAddress(final int n)
    {
        return realServer(n).address();
    }

    /** What real server {@code n} answers with: {@code "rs" + n} (HTTP adds a newline). */
    public String realServerName(final int n)
    {
        return realServer(n).name();
    }

    public int realServerCount()
    {
        return realServers.size();
    }

    /** Routed real server {@code n}'s address (198.19.1.10 + n), 1-based. */
    public int routedRealServerAddress(final int n)
    {
        return routedServer(n).address();
    }

    /** What routed real server {@code n} answers with: {@code "rr" + n} (HTTP adds a newline). */
    public String routedRealServerName(final int n)
    {
        return routedServer(n).name();
    }

    /** Real servers behind the router; 0 without one. */
    public int routedRealServerCount()
    {
        return routedServers.size();
    }

    public int clientCount()
    {
        return clients.size();
    }

    /** The first client. */
    public ClientHost client()
    {
        return client(1);
    }

    /** Client {@code k}, 1-based. */
    public ClientHost client(final int k)
    {
        if (k < 1 || k > clients.size())
        {
            throw new IllegalArgumentException("client must be 1.." + clients.size() + ", client=" + k);
        }
        return clients.get(k - 1);
    }

    /**
     * The probe, on the director's second interface. It has an on-link route to 198.18.0.0/24 through that link,
     * so sending to the VIP makes it ARP for the VIP there (which must go unanswered); the director's kernel does
     * answer for its own 198.18.0.2 there (Linux's arp_ignore=0), a handy positive control.
     */
    public ClientHost probe()
    {
        if (probe == null)
        {
            throw new IllegalStateException("this lab was built without the probe: " + spec);
        }
        return probe;
    }

    /** From the first client: a new TCP connection to VIP:80, one GET, the body. */
    public String httpGet(final String path) throws IOException
    {
        return client().httpGet(vip(), path);
    }

    /** From the first client: a new TCP connection to {@code address:80}, one GET, the body. */
    public String httpGet(final int address, final String path) throws IOException
    {
        return client().httpGet(address, path);
    }

    /** From the first client: a new TCP connection to VIP:80, one GET, the body's bytes ({@code /bytes/N}). */
    public byte[] httpGetBytes(final String path) throws IOException
    {
        return client().httpGetBytes(vip(), path);
    }

    /** From the first client: a new TCP connection to VIP:80, one POST of {@code bodyBytes} bytes, the answer. */
    public String httpPost(final String path, final long bodyBytes) throws IOException
    {
        return client().httpPost(vip(), path, bodyBytes);
    }

    /** From the first client: one TCP connection to VIP:80 for many GETs. */
    public KeepAliveClient openKeepAlive() throws IOException
    {
        return client().openKeepAlive(vip());
    }

    /** From the first client to VIP:5353; returns the answering real server's name. */
    public String udpRequest(final byte[] payload) throws IOException
    {
        return client().udpRequest(vip(), payload);
    }

    /** The first client's neighbour entry for {@code address}, {@code aa:bb:..}, or null when it has no MAC. */
    public String clientNeighbourMac(final int address) throws IOException
    {
        return client().neighbourMac(address);
    }

    /** The MAC of {@code interfaceName} in {@code namespace}, {@code aa:bb:..}. */
    public String interfaceMac(final String namespace, final String interfaceName) throws IOException
    {
        final String[] words = Commands.ip("-n", namespace, "-o", "link", "show", "dev", interfaceName)
            .trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++)
        {
            if (LINK_ETHER.equals(words[i]))
            {
                return words[i + 1];
            }
        }
        throw new IOException("no MAC address for " + interfaceName + " in " + namespace);
    }

    /** The MAC of the director's interface, what clients' ARP entry for the VIP must hold once jlvs runs. */
    public String directorMac() throws IOException
    {
        return interfaceMac(directorNamespace(), HOST_INTERFACE);
    }

    /** Runs {@code command} in {@code namespace} ({@code ip netns exec}); returns stdout, throws with stderr. */
    public String exec(final String namespace, final String... command) throws IOException
    {
        final List<String> argv = new ArrayList<>(Arrays.asList(LabRequirements.ipCommand(), "netns", "exec",
            namespace));
        argv.addAll(Arrays.asList(command));
        return Commands.run(argv, null);
    }

    /** Stops real server {@code n}'s HTTP server: its port 80 refuses connections, open ones are dropped. */
    public void stopHttpServer(final int n)
    {
        realServer(n).stopHttp();
    }

    /** Starts real server {@code n}'s HTTP server again (a no-op while it runs). */
    public void startHttpServer(final int n) throws IOException
    {
        realServer(n).startHttp();
    }

    public boolean httpServerRunning(final int n)
    {
        return realServer(n).httpRunning();
    }

    /** Stops real server {@code n}'s UDP server. */
    public void stopUdpServer(final int n)
    {
        realServer(n).stopUdp();
    }

    /** Starts real server {@code n}'s UDP server again (a no-op while it runs). */
    public void startUdpServer(final int n) throws IOException
    {
        realServer(n).startUdp();
    }

    /**
     * Stops every server and deletes every namespace with this lab's prefix (the veth pairs and the bridge go with
     * them). Idempotent. Close the director's sockets first: a socket keeps its namespace alive.
     *
     * @throws UncheckedIOException when a namespace could not be deleted (it is named).
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // already shutting down: this is the hook running, or it will find the lab closed
        }
        for (final RealServerHost server : realServers)
        {
            server.close();
        }
        for (final RealServerHost server : routedServers)
        {
            server.close();
        }
        if (ownsHostGuard)
        {
            HostGuard.remove();
        }
        try
        {
            LabRegistry.deleteNamespaces(LabRegistry.namespacesOf(prefix));
            final List<String> left = LabRegistry.namespacesOf(prefix);
            if (!left.isEmpty())
            {
                throw new IOException("namespaces left after deleting them: " + left);
            }
            LabRegistry.release(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("lab " + prefix + " teardown: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString()
    {
        return "Lab{" + prefix + ", " + spec + '}';
    }

    /** {@code ip -n NAMESPACE neigh show ADDRESS}'s lladdr, or null. */
    static String neighbourMac(final String namespace, final int address) throws IOException
    {
        final String[] words = Commands.ip("-n", namespace, "neigh", "show", LabAddresses.formatIpv4(address))
            .trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++)
        {
            if (LLADDR.equals(words[i]))
            {
                return words[i + 1];
            }
        }
        return null;
    }

    private void build() throws IOException
    {
        final List<String> namespaces = namespaces();
        final List<String> add = new ArrayList<>();
        for (final String name : namespaces)
        {
            add.add("netns add " + name);
        }
        Commands.ipBatch(null, add);

        // before any link exists, so that no interface ever gets an IPv6 link-local address and sends router or
        // neighbour solicitations: the segment carries only what the tests send (and 198.18/15 is all we use)
        if (Files.isDirectory(PROC_SYS.resolve("net/ipv6")))
        {
            final Map<String, String> noIpv6 = new LinkedHashMap<>();
            noIpv6.put("net.ipv6.conf.all.disable_ipv6", "1");
            noIpv6.put("net.ipv6.conf.default.disable_ipv6", "1");
            for (final String name : namespaces)
            {
                writeSysctls(name, noIpv6);
            }
        }

        final String mtu = Integer.toString(spec.mtu());
        Commands.ipBatch(bridgeNamespace(), List.of(
            "link set lo up",
            // STP off: ports forward as soon as they are up; no snooping: the bridge floods like a plain switch
            "link add " + BRIDGE + " mtu " + mtu + " type bridge stp_state 0 mcast_snooping 0",
            "link set " + BRIDGE + " up"));
        if (spec.withRouter())
        {
            Commands.ipBatch(bridgeNamespace(), List.of(
                "link add " + ROUTED_BRIDGE + " mtu " + mtu + " type bridge stp_state 0 mcast_snooping 0",
                "link set " + ROUTED_BRIDGE + " up"));
        }
        switchLikeBridge();

        final List<String> ports = new ArrayList<>();
        for (int k = 1; k <= clients.size(); k++)
        {
            final List<String> lines = segmentHost(clientRole(k), clients.get(k - 1).address(), mtu);
            lines.addAll(routeToRoutedSegment());
            Commands.ipBatch(clients.get(k - 1).namespace(), lines);
            ports.add(clientRole(k));
        }

        final List<String> director = segmentHost(DIRECTOR_ROLE, LabAddresses.DIRECTOR, mtu);
        director.addAll(routeToRoutedSegment());
        if (probe != null)
        {
            director.add("link add " + DIRECTOR_SECOND_INTERFACE + " mtu " + mtu + " type veth peer name " +
                HOST_INTERFACE + " mtu " + mtu + " netns " + probe.namespace());
            director.add("link set " + DIRECTOR_SECOND_INTERFACE + " up");
            director.add("addr add " + cidr(LabAddresses.DIRECTOR_PROBE_SIDE) + " dev " + DIRECTOR_SECOND_INTERFACE);
        }
        Commands.ipBatch(directorNamespace(), director);
        ports.add(DIRECTOR_ROLE);

        if (probe != null)
        {
            Commands.ipBatch(probe.namespace(), List.of(
                "link set lo up",
                "link set " + HOST_INTERFACE + " up",
                "addr add " + cidr(LabAddresses.PROBE) + " dev " + HOST_INTERFACE,
                "route add " + LabAddresses.formatIpv4(LabAddresses.SEGMENT) + "/" + LabAddresses.PREFIX_LENGTH +
                    " dev " + HOST_INTERFACE));
        }

        for (int n = 1; n <= realServers.size(); n++)
        {
            final RealServerHost server = realServers.get(n - 1);
            final List<String> lines = segmentHost(REAL_SERVER_ROLE + n, server.address(), mtu);
            // DR: the real server accepts packets for the VIP because it holds it, on lo so it never answers ARP
            // for it on the wire (with the sysctls below)
            lines.add("addr add " + LabAddresses.formatIpv4(spec.vip()) + "/32 dev lo");
            Commands.ipBatch(server.namespace(), lines);
            ports.add(REAL_SERVER_ROLE + n);
        }

        final List<String> routedPorts = new ArrayList<>();
        if (spec.withRouter())
        {
            buildRouter(mtu);
            ports.add(ROUTER_ROLE);
            routedPorts.add(ROUTER_ROUTED_PORT);
            for (int n = 1; n <= routedServers.size(); n++)
            {
                final RealServerHost server = routedServers.get(n - 1);
                final List<String> lines = segmentHost(ROUTED_REAL_SERVER_ROLE + n, server.address(), mtu);
                // the same VIP on lo as the segment's real servers; everything off its subnet goes via the router
                lines.add("addr add " + LabAddresses.formatIpv4(spec.vip()) + "/32 dev lo");
                lines.add("route add default via " + LabAddresses.formatIpv4(LabAddresses.ROUTER_ROUTED_SIDE));
                Commands.ipBatch(server.namespace(), lines);
                routedPorts.add(ROUTED_REAL_SERVER_ROLE + n);
            }
        }

        final List<String> enslave = new ArrayList<>();
        for (final String port : ports)
        {
            enslave.add("link set " + port + " master " + BRIDGE);
            enslave.add("link set " + port + " up");
        }
        for (final String port : routedPorts)
        {
            enslave.add("link set " + port + " master " + ROUTED_BRIDGE);
            enslave.add("link set " + port + " up");
        }
        Commands.ipBatch(bridgeNamespace(), enslave);

        // the director only forwards what jlvs sends; its kernel must not route VIP traffic itself
        writeSysctls(directorNamespace(), Map.of("net.ipv4.ip_forward", "0"));
        final Map<String, String> realServerArp = new LinkedHashMap<>();
        for (final String scope : List.of("all", HOST_INTERFACE, "lo"))
        {
            // answer ARP only for addresses on the interface asked (never the VIP on lo) ...
            realServerArp.put("net.ipv4.conf." + scope + ".arp_ignore", "1");
            // ... and never announce the VIP as an ARP source address
            realServerArp.put("net.ipv4.conf." + scope + ".arp_announce", "2");
        }
        for (final RealServerHost server : realServers)
        {
            writeSysctls(server.namespace(), realServerArp);
        }
        for (final RealServerHost server : routedServers)
        {
            writeSysctls(server.namespace(), realServerArp);
        }
        if (spec.withRouter())
        {
            final Map<String, String> router = new LinkedHashMap<>();
            router.put("net.ipv4.ip_forward", "1");
            for (final String scope : List.of("all", "default", HOST_INTERFACE, ROUTER_ROUTED_INTERFACE))
            {
                // TUN real servers answer from the VIP, whose route leads back to the segment: the router sees
                // them arrive on the routed side, and a host's strict rp_filter (inherited by new namespaces)
                // would drop every one
                router.put("net.ipv4.conf." + scope + ".rp_filter", "0");
            }
            writeSysctls(namespace(ROUTER_ROLE), router);
        }

        awaitLinks(ports.size() + routedPorts.size());

        for (final RealServerHost server : realServers)
        {
            server.startHttp();
            server.startUdp();
        }
        for (final RealServerHost server : routedServers)
        {
            server.startHttp();
            server.startUdp();
        }

        if (!spec.sysctls().isEmpty())
        {
            for (final String name : namespaces)
            {
                if (!name.equals(bridgeNamespace()))
                {
                    writeSysctls(name, spec.sysctls());
                }
            }
        }
    }

    /**
     * The router: eth0 on the segment, eth1 (its bridge port {@code rt-rr}) on the routed segment; with a narrower
     * {@link LabSpec#routerLinkMtu()}, both connected routes carry it as their MTU, which the kernel honours when
     * forwarding (answering larger DF packets with fragmentation-needed) while the links keep the lab's MTU.
     */
    private void buildRouter(final String mtu) throws IOException
    {
        final List<String> lines = segmentHost(ROUTER_ROLE, LabAddresses.ROUTER, mtu);
        lines.add("link add " + ROUTER_ROUTED_INTERFACE + " mtu " + mtu + " type veth peer name " +
            ROUTER_ROUTED_PORT + " mtu " + mtu + " netns " + bridgeNamespace());
        lines.add("link set " + ROUTER_ROUTED_INTERFACE + " up");
        lines.add("addr add " + LabAddresses.formatIpv4(LabAddresses.ROUTER_ROUTED_SIDE) + "/" +
            LabAddresses.PREFIX_LENGTH + " dev " + ROUTER_ROUTED_INTERFACE);
        if (spec.routerLinkMtu() < spec.mtu())
        {
            // replaces the kernel's connected route (same prefix, table and metric), adding only the MTU
            lines.add(connectedRoute(LabAddresses.SEGMENT, HOST_INTERFACE, LabAddresses.ROUTER));
            lines.add(connectedRoute(LabAddresses.ROUTED_SEGMENT, ROUTER_ROUTED_INTERFACE,
                LabAddresses.ROUTER_ROUTED_SIDE));
        }
        Commands.ipBatch(namespace(ROUTER_ROLE), lines);
    }

    private String connectedRoute(final int segment, final String device, final int source)
    {
        return "route replace " + LabAddresses.formatIpv4(segment) + "/" + LabAddresses.PREFIX_LENGTH + " dev " +
            device + " proto kernel scope link src " + LabAddresses.formatIpv4(source) + " mtu " +
            spec.routerLinkMtu();
    }

    /** With a router, a segment host's route to the routed segment through it; nothing without one. */
    private List<String> routeToRoutedSegment()
    {
        if (!spec.withRouter())
        {
            return List.of();
        }
        return List.of("route add " + LabAddresses.formatIpv4(LabAddresses.ROUTED_SEGMENT) + "/" +
            LabAddresses.PREFIX_LENGTH + " via " + LabAddresses.formatIpv4(LabAddresses.ROUTER));
    }

    /** A host on the segment: eth0 with its address, its veth peer (named after the role) in the bridge namespace. */
    private List<String> segmentHost(final String role, final int address, final String mtu)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("link set lo up");
        lines.add("link add " + HOST_INTERFACE + " mtu " + mtu + " type veth peer name " + role + " mtu " + mtu +
            " netns " + bridgeNamespace());
        lines.add("link set " + HOST_INTERFACE + " up");
        lines.add("addr add " + cidr(address) + " dev " + HOST_INTERFACE);
        return lines;
    }

    /** Waits, bounded, until every bridge port forwards with carrier and the probe link has carrier. */
    private void awaitLinks(final int portCount) throws IOException
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        String ports = "";
        String probeLink = "";
        while (System.nanoTime() - deadline < 0)
        {
            ports = Commands.ip("-n", bridgeNamespace(), "-d", "-o", "link", "show", "type", "bridge_slave");
            int ready = 0;
            for (final String line : ports.split("\n"))
            {
                if (line.contains("LOWER_UP") && line.contains("bridge_slave state forwarding"))
                {
                    ready++;
                }
            }
            probeLink = probe == null ? "LOWER_UP" :
                Commands.ip("-n", directorNamespace(), "-o", "link", "show", "dev", DIRECTOR_SECOND_INTERFACE);
            if (ready == portCount && probeLink.contains("LOWER_UP"))
            {
                return;
            }
            try
            {
                Thread.sleep(READY_POLL_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lab's links", ex);
            }
        }
        throw new IOException("links not up and forwarding after " + TimeUnit.NANOSECONDS.toSeconds(READY_TIMEOUT_NS) +
            " s; bridge ports:\n" + ports + "probe link: " + probeLink);
    }

    /**
     * With br_netfilter in the kernel (it is on many hosts, per namespace), a Linux bridge checks IPv4 headers and
     * drops malformed ones before they reach a port; a switch does not. The lab's segment must deliver whatever a
     * host puts on the wire, bad frames included, so the director's own handling of them is what gets tested.
     */
    private void switchLikeBridge() throws IOException
    {
        final Map<String, String> noBridgeFilter = new LinkedHashMap<>();
        for (final String key : List.of("net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables",
            "net.bridge.bridge-nf-call-arptables"))
        {
            final boolean present;
            try
            {
                present = NetworkNamespace.call(bridgeNamespace(),
                    () -> Files.exists(PROC_SYS.resolve(key.replace('.', '/'))));
            }
            catch (final Exception ex)
            {
                throw new IOException("cannot read sysctls in " + bridgeNamespace() + ": " + ex, ex);
            }
            if (present)
            {
                noBridgeFilter.put(key, "0");
            }
        }
        writeSysctls(bridgeNamespace(), noBridgeFilter);
    }

    /** Writes sysctls from a thread inside {@code namespace}: /proc/sys/net shows the reading thread's namespace. */
    private static void writeSysctls(final String namespace, final Map<String, String> values) throws IOException
    {
        try
        {
            NetworkNamespace.run(namespace, () ->
            {
                for (final Map.Entry<String, String> entry : values.entrySet())
                {
                    final Path file = PROC_SYS.resolve(entry.getKey().replace('.', '/'));
                    try
                    {
                        Files.write(file, entry.getValue().getBytes(StandardCharsets.US_ASCII),
                            StandardOpenOption.WRITE);
                    }
                    catch (final NoSuchFileException ex)
                    {
                        throw new IOException("no sysctl " + entry.getKey() + " in " + namespace, ex);
                    }
                    catch (final IOException ex)
                    {
                        throw new IOException("sysctl " + entry.getKey() + "=" + entry.getValue() + " in " +
                            namespace + ": " + ex, ex);
                    }
                }
            });
        }
        catch (final IOException | RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IOException("sysctls in " + namespace + ": " + ex, ex);
        }
    }

    private RealServerHost realServer(final int n)
    {
        if (n < 1 || n > realServers.size())
        {
            throw new IllegalArgumentException("real server must be 1.." + realServers.size() + ", n=" + n);
        }
        return realServers.get(n - 1);
    }

    private RealServerHost routedServer(final int n)
    {
        if (n < 1 || n > routedServers.size())
        {
            throw new IllegalArgumentException("routed real server must be 1.." + routedServers.size() + ", n=" + n +
                (spec.withRouter() ? "" : " (this lab has no router)"));
        }
        return routedServers.get(n - 1);
    }

    private void requireRouter()
    {
        if (!spec.withRouter())
        {
            throw new IllegalStateException("this lab was built without the router: " + spec);
        }
    }

    private String namespace(final String role)
    {
        return prefix + "-" + role;
    }

    /** Client 1's role is plain "cl" (the usual single client); more clients are cl2, cl3, ... */
    private static String clientRole(final int k)
    {
        return k == 1 ? CLIENT_ROLE : CLIENT_ROLE + k;
    }

    private static String cidr(final int address)
    {
        return LabAddresses.formatIpv4(address) + "/" + LabAddresses.PREFIX_LENGTH;
    }
}
