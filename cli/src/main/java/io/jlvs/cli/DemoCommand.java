package io.jlvs.cli;

import com.sun.net.httpserver.HttpServer;
import io.jlvs.cli.listing.DirectorSnapshot;
import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.cli.listing.ListView;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.local.HostCommands;
import io.jlvs.dataplane.local.LocalDeliveryPath;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.Schedulers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code jlvs demo}: builds the namespace lab (a client, a director, N real servers on one bridge), runs a director in
 * this process on the lab's director interface, sends real HTTP requests through the VIP, shows how they were spread,
 * and tears everything down. Needs root and iproute2, nothing else; {@code --local-weight} (the director is also a
 * real server, ipvsadm's "Local") needs nft too.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Build a namespace lab, forward real HTTP requests through the VIP to its real servers, show the split, " +
            "clean up. Needs root and iproute2."})
final class DemoCommand implements Callable<Integer>
{
    /** ARP resolution of the real servers takes a few milliseconds; this only bounds a lab that is broken. */
    private static final long NEIGHBOUR_TIMEOUT_MS = 5_000;
    private static final long NEIGHBOUR_POLL_MS = 10;
    /** The whole request phase stops after this long, whatever happened (each request also times out on its own). */
    private static final long REQUESTS_DEADLINE_MS = 60_000;
    private static final long SNAPSHOT_TIMEOUT_MS = 5_000;
    private static final int MAX_REQUESTS = 10_000;
    private static final double PERCENT = 100.0;
    private static final String FAILED = "(failed)";
    /** What the director host's own HTTP server answers with, as each lab real server answers with its name. */
    private static final String DIRECTOR_NAME = "director";
    private static final int LOCAL_HTTP_BACKLOG = 64;
    private static final int HTTP_OK = 200;
    /** The Local path only transmits (into the host's stack): the smallest ring the transport accepts. */
    private static final int LOCAL_SEND_BLOCK_BYTES = 128 * 1024;
    private static final int LOCAL_SEND_BLOCKS = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "60",
        description = "HTTP requests to send, each on a new TCP connection (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--scheduler", paramLabel = "NAME", defaultValue = "wrr",
        description = "IPVS scheduler of the demo service (default: ${DEFAULT-VALUE}).")
    private String scheduler;

    @Option(names = "--weights", paramLabel = "W1,W2,...", split = ",", defaultValue = "3,2,1",
        description = "One weight per real server; their number is the number of real servers " +
            "(default: ${DEFAULT-VALUE}).")
    private List<Integer> weights;

    @Option(names = "--local-weight", paramLabel = "W",
        description = "Make the director host a real server too, with weight W: it serves its share itself (the " +
            "listing shows Local) and forwards the rest. Needs nft.")
    private Integer localWeight;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
        description = "Forwarding workers of the demo director, AF_PACKET sockets of one fanout group (1.." +
            Transports.MAX_WORKERS + ", default: ${DEFAULT-VALUE}). A client's traffic always lands on one worker, " +
            "which keeps persistence and fragments right, so the demo's one client uses one worker.")
    private int workers;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        checkArguments();
        final Optional<String> unavailable = LabRequirements.unavailableReason();
        if (unavailable.isPresent())
        {
            err.println("jlvs: demo: " + unavailable.get() + ". The demo builds network namespaces, veth pairs and " +
                "a bridge, so run it as root: sudo bin/jlvs demo");
            return ExitCodes.USAGE;
        }
        if (localWeight != null && !LocalDeliveryPath.nftAvailable())
        {
            err.println("jlvs: demo: --local-weight needs nft (nftables): it keeps the director host's kernel from " +
                "answering the VIP frames jlvs forwards to the other real servers. Install nftables.");
            return ExitCodes.USAGE;
        }

        out.println("jlvs demo: building a lab with " + weights.size() + " real servers" +
            (localWeight != null ? " and the director as one more" : "") + "...");
        out.flush();
        try (Lab lab = Lab.start(LabSpec.builder().realServerCount(weights.size()).withProbe(false).build()))
        {
            // The lab's namespace is new, so any group id is free in it; the pid's is as good as any.
            final List<PacketTransport> transports = NetworkNamespace.call(lab.directorNamespace(),
                () -> Transports.openWorkers(Transports.Kind.afpacket, lab.directorInterface(), workers,
                    Transports.fanoutGroupId(ProcessHandle.current().pid())));
            final HttpServer localServer = localWeight != null ? serveOnDirectorHost(lab) : null;
            try (Director director = new Director(transports, DirectorOptions.defaults()))
            {
                if (localWeight != null)
                {
                    final String ns = lab.directorNamespace();
                    director.localDelivery(new int[] {lab.directorAddress()}, HostCommands.inNamespace(ns),
                        name -> openInNamespace(ns, name));
                }
                director.apply(List.of(service(lab)));
                director.start();
                out.println("jlvs demo: director on " + lab.directorNamespace() + "/" + lab.directorInterface() +
                    ", VIP " + LabAddresses.formatIpv4(lab.vip()) + ":" + Lab.HTTP_PORT + ", " + scheduler +
                    ", weights " + joined(weights) + (localWeight != null ? ", director " + localWeight : "") +
                    (workers > 1 ? ", " + workers + " workers" : ""));
                out.flush();
                if (!awaitNeighbours(director))
                {
                    err.println("jlvs: demo: the director could not resolve every real server's MAC within " +
                        NEIGHBOUR_TIMEOUT_MS + " ms; sending anyway");
                }
                final Map<String, Integer> answers = sendRequests(lab);
                printSplit(out, lab, answers);
                out.println();
                out.print(IpvsadmFormat.services(
                    DirectorSnapshot.take(director, false, SNAPSHOT_TIMEOUT_MS), ListView.SERVICES, false));
                out.flush();
                if (director.failure() != null)
                {
                    err.println("jlvs: demo: dataplane error: " + director.failure());
                    return ExitCodes.FAILURE;
                }
                return answers.getOrDefault(FAILED, 0) == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            finally
            {
                if (localServer != null)
                {
                    localServer.stop(0);
                }
            }
        }
        finally
        {
            out.println("jlvs demo: lab torn down");
            out.flush();
        }
    }

    private void checkArguments()
    {
        if (requests < 1 || requests > MAX_REQUESTS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--requests must be 1.." + MAX_REQUESTS + ", requests=" + requests);
        }
        if (weights.isEmpty() || weights.size() > LabAddresses.MAX_REAL_SERVERS)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--weights needs 1.." + LabAddresses.MAX_REAL_SERVERS + " weights, weights=" + joined(weights));
        }
        for (final int weight : weights)
        {
            if (weight < 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "weights must be >= 0, weights=" + joined(weights));
            }
        }
        if (localWeight != null && localWeight < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--local-weight must be >= 0, weight=" + localWeight);
        }
        final String workersRefused = Transports.checkWorkers(workers, Transports.Kind.afpacket);
        if (workersRefused != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), workersRefused);
        }
        if (!Schedulers.exists(scheduler))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "unknown scheduler '" + scheduler + "', known: " + Schedulers.names());
        }
    }

    private VirtualServiceSpec service(final Lab lab)
    {
        final List<RealServerSpec> servers = new ArrayList<>();
        for (int n = 1; n <= weights.size(); n++)
        {
            servers.add(RealServerSpec.route(lab.realServerAddress(n), Lab.HTTP_PORT, weights.get(n - 1)));
        }
        if (localWeight != null)
        {
            // A DR real server at the director's own address: the director marks it Local.
            servers.add(RealServerSpec.route(lab.directorAddress(), Lab.HTTP_PORT, localWeight));
        }
        return VirtualServiceSpec.of(VirtualServiceSpec.TCP, lab.vip(), Lab.HTTP_PORT, scheduler, servers);
    }

    /**
     * Makes the director host a DR real server as any other is: the VIP on lo (not announced, not answered for) and an
     * HTTP server answering with {@link #DIRECTOR_NAME}, both in the director namespace (the lab removes them with it).
     */
    private static HttpServer serveOnDirectorHost(final Lab lab) throws Exception
    {
        final String ns = lab.directorNamespace();
        lab.exec(ns, "ip", "addr", "add", LabAddresses.formatIpv4(lab.vip()) + "/32", "dev", "lo");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_announce=2");
        // Bound inside the namespace; started outside it, so its dispatcher thread does not pin the namespace.
        final HttpServer server = NetworkNamespace.call(ns,
            () -> HttpServer.create(new InetSocketAddress(Lab.HTTP_PORT), LOCAL_HTTP_BACKLOG));
        server.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            final byte[] body = (DIRECTOR_NAME + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(HTTP_OK, body.length);
            try (OutputStream response = exchange.getResponseBody())
            {
                response.write(body);
            }
        });
        server.start();
        return server;
    }

    /** The Local path's send side, opened in the director namespace like the director interface. */
    private static PacketTransport openInNamespace(final String ns, final String interfaceName)
    {
        try
        {
            return NetworkNamespace.call(ns, () -> AfPacketTransport.open(TransportOptions.builder(interfaceName)
                .blockSizeBytes(LOCAL_SEND_BLOCK_BYTES).blockCount(LOCAL_SEND_BLOCKS).build()));
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("opening " + interfaceName + " in " + ns + ": " + ex.getMessage(), ex);
        }
    }

    /** Waits, bounded, until the director has every real server's MAC (it ARPs for them once the service is in). */
    private static boolean awaitNeighbours(final Director director) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NEIGHBOUR_TIMEOUT_MS);
        while (System.nanoTime() - deadline < 0)
        {
            boolean all = true;
            for (final RealServer server : director.table().serversById())
            {
                all &= server == null || server.isNeighbourReachable();
            }
            if (all)
            {
                return true;
            }
            Thread.sleep(NEIGHBOUR_POLL_MS);
        }
        return false;
    }

    /** One GET per new TCP connection from the client to the VIP; answers counted by the real server's name. */
    private Map<String, Integer> sendRequests(final Lab lab)
    {
        final Map<String, Integer> answers = new LinkedHashMap<>();
        for (int n = 1; n <= weights.size(); n++)
        {
            answers.put(lab.realServerName(n), 0);
        }
        if (localWeight != null)
        {
            answers.put(DIRECTOR_NAME, 0);
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUESTS_DEADLINE_MS);
        for (int i = 0; i < requests; i++)
        {
            if (System.nanoTime() - deadline >= 0)
            {
                answers.merge(FAILED, requests - i, Integer::sum);
                break;
            }
            String name;
            try
            {
                name = lab.httpGet("/").trim();
            }
            catch (final IOException ex)
            {
                name = FAILED;
            }
            answers.merge(name, 1, Integer::sum);
        }
        return answers;
    }

    private void printSplit(final PrintWriter out, final Lab lab, final Map<String, Integer> answers)
    {
        final List<String> names = new ArrayList<>();
        final List<Integer> addresses = new ArrayList<>();
        final List<Integer> serverWeights = new ArrayList<>(weights);
        for (int n = 1; n <= weights.size(); n++)
        {
            names.add(lab.realServerName(n));
            addresses.add(lab.realServerAddress(n));
        }
        if (localWeight != null)
        {
            names.add(DIRECTOR_NAME);
            addresses.add(lab.directorAddress());
            serverWeights.add(localWeight);
        }
        int totalWeight = 0;
        for (final int weight : serverWeights)
        {
            totalWeight += weight;
        }
        out.println();
        out.println(requests + " HTTP requests from " + LabAddresses.formatIpv4(lab.clientAddress()) + " to " +
            LabAddresses.formatIpv4(lab.vip()) + ":" + Lab.HTTP_PORT + ", each on a new TCP connection:");
        out.println(String.format(Locale.ROOT, "  %-8s %-15s %6s %8s %7s %9s",
            "server", "address", "weight", "requests", "share", "of weight"));
        for (int i = 0; i < names.size(); i++)
        {
            final int count = answers.getOrDefault(names.get(i), 0);
            final double weightShare = totalWeight == 0 ? 0 : PERCENT * serverWeights.get(i) / totalWeight;
            out.println(String.format(Locale.ROOT, "  %-8s %-15s %6d %8d %6.1f%% %8.1f%%", names.get(i),
                LabAddresses.formatIpv4(addresses.get(i)), serverWeights.get(i), count,
                PERCENT * count / requests, weightShare));
        }
        for (final Map.Entry<String, Integer> entry : answers.entrySet())
        {
            if (names.contains(entry.getKey()))
            {
                continue;
            }
            out.println(String.format(Locale.ROOT, "  %-24s %15d %6.1f%%", entry.getKey(), entry.getValue(),
                PERCENT * entry.getValue() / requests));
        }
    }

    private static String joined(final List<Integer> values)
    {
        final List<String> text = new ArrayList<>(values.size());
        for (final Integer value : values)
        {
            text.add(String.valueOf(value));
        }
        return String.join(",", text);
    }
}
