package io.jlvs.bench.harness;

import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabSpec;
import io.jlvs.lab.NetworkNamespace;
import io.jlvs.scheduler.RealServer;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end benchmark: builds a lab (a client namespace as the generator, a director namespace, real-server
 * namespaces, all on one bridge), and for each case runs the same traffic through jlvs and then through the
 * kernel's nftables DR rule with jlvs stopped, counting what reaches the real servers' interfaces.
 * <p>
 * Cases, in the order of the summary: 64-byte frames, 1500-byte frames (both the mixed workload: UDP flows and TCP
 * flows opened by a SYN, then ACKs) and a SYN-only run of 64-byte frames, each SYN a new connection. Every wait is
 * bounded; the director, the generator's socket, the nft rules and the lab are closed in {@code finally} blocks,
 * innermost first (a socket keeps its namespace alive).
 */
public final class Harness
{
    /** Warm-up, window, and slack: the generator stops by itself even if the harness never told it to. */
    /** Fanout group ids are 16 bits; 0 means none. */
    private static final int FANOUT_GROUP_IDS = 0xFFFE;
    /**
     * The light-load latency case's rate: 1000 frames a second fill a 256 KiB TPACKET_V3 block (~2000 small frames)
     * in two seconds, so every frame waits for the 1 ms block timeout there, and only there.
     */
    private static final long LIGHT_LOAD_PPS = 1_000;
    private static final long GENERATOR_SLACK_NS = TimeUnit.SECONDS.toNanos(5);
    /** After the generator stops, frames still sit in rings and backlogs; wait until the servers' counts settle. */
    private static final long DRAIN_POLL_MS = 100;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    /** The director resolves the real servers' MACs by ARP in milliseconds; this only bounds a failure. */
    private static final long RESOLVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long RESOLVE_POLL_MS = 20;
    /** How long a real server gets to answer the UDP probe that makes the bridge learn its MAC again. */
    private static final int PROBE_TIMEOUT_MS = 1_000;
    private static final int PROBE_BUFFER_BYTES = 64;
    /** p99.9 as HdrHistogram's percentile argument. */
    private static final double P999 = 99.9;
    private static final double P99 = 99;
    private static final double P50 = 50;
    private static final String JLVS = "jlvs";
    private static final String KERNEL = "kernel";
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private final HarnessOptions options;
    private final PrintStream out;
    private final Lab lab;
    private final TrafficGenerator generator;
    private final long directorMac;
    private final long[] serverMacs;

    private Harness(
        final HarnessOptions options, final PrintStream out, final Lab lab, final TrafficGenerator generator,
        final long directorMac, final long[] serverMacs)
    {
        this.options = options;
        this.out = out;
        this.lab = lab;
        this.generator = generator;
        this.directorMac = directorMac;
        this.serverMacs = serverMacs;
    }

    /**
     * Runs every case and prints as it goes, ending with one summary line per case.
     *
     * @throws IOException when the lab cannot run here (not root, no iproute2, no nft) or a step fails; everything
     *                     built so far is torn down first.
     */
    public static HarnessReport run(final HarnessOptions options, final PrintStream out) throws Exception
    {
        if (NftRules.nftCommand() == null)
        {
            throw new IOException("nft not found: the kernel baseline needs nftables (apt-get install nftables)");
        }
        printHeader(options, out);
        final List<CaseResult> cases = new ArrayList<>();
        final List<LatencyResult> latency = new ArrayList<>();
        final String prefix;
        try (Lab lab = Lab.start(LabSpec.builder().withProbe(false).build()))
        {
            prefix = lab.prefix();
            out.println("lab " + prefix + ": generator " + lab.clientNamespace() + " -> director " +
                lab.directorNamespace() + " -> " + lab.realServerCount() + " real servers, VIP " +
                LabAddresses.formatIpv4(lab.vip()) + ", UDP and TCP port " + GeneratorFrames.BENCH_PORT + ", rr");
            for (int n = 1; n <= lab.realServerCount(); n++)
            {
                NftRules.install(lab, lab.realServerNamespace(n),
                    NftRules.sink(Lab.HOST_INTERFACE, lab.vip(), GeneratorFrames.BENCH_PORT));
            }
            final long directorMac = LabAddresses.parseMac(lab.directorMac());
            final long[] serverMacs = new long[lab.realServerCount()];
            for (int n = 1; n <= serverMacs.length; n++)
            {
                serverMacs[n - 1] = LabAddresses.parseMac(lab.interfaceMac(lab.realServerNamespace(n),
                    Lab.HOST_INTERFACE));
            }
            try (TrafficGenerator generator = TrafficGenerator.open(lab.clientNamespace(), Lab.HOST_INTERFACE))
            {
                final Harness harness = new Harness(options, out, lab, generator, directorMac, serverMacs);
                final long source = generator.macAddress();
                final GeneratorFrames syns = GeneratorFrames.mixedSyns(source, directorMac, lab.vip());
                final GeneratorFrames small =
                    GeneratorFrames.mixed(GeneratorFrames.SMALL_FRAME_BYTES, source, directorMac, lab.vip());
                final GeneratorFrames large =
                    GeneratorFrames.mixed(GeneratorFrames.LARGE_FRAME_BYTES, source, directorMac, lab.vip());
                final CaseResult small1 = harness.runCase("64B", false, syns, small, 1, null);
                cases.add(small1);
                final CaseResult large1 = harness.runCase("1500B", false, syns, large, 1, null);
                cases.add(large1);
                if (options.workers() > 1)
                {
                    // The kernel's figure does not depend on jlvs's workers: measured once per frame size.
                    cases.add(harness.runCase("64B", false, syns, small, options.workers(), small1.kernel()));
                    cases.add(harness.runCase("1500B", false, syns, large, options.workers(), large1.kernel()));
                }
                cases.add(harness.runCase("64B SYN-only", true, null,
                    GeneratorFrames.synFlood(source, directorMac, lab.vip()), 1, null));
                final long halfLoadPps = Math.max(1, (long)(small1.jlvs().forwardedPps() / 2));
                for (final TransportOptions.RxRingVersion ring : TransportOptions.RxRingVersion.values())
                {
                    latency.add(harness.runLatency("half load", halfLoadPps, ring, syns, small));
                }
                for (final TransportOptions.RxRingVersion ring : TransportOptions.RxRingVersion.values())
                {
                    latency.add(harness.runLatency("light load", LIGHT_LOAD_PPS, ring, syns, small));
                }
            }
        }
        out.println();
        out.println("load average after the run: " + loadAverage());
        out.println("summary (ratio = jlvs pps / kernel pps):");
        final HarnessReport report = new HarnessReport(prefix, cases, latency);
        for (final String line : report.summaryLines())
        {
            out.println(line);
        }
        out.flush();
        return report;
    }

    /**
     * A latency case: 64-byte frames offered at {@code ratePps}, one worker, jlvs reading {@code ring}. At half of the
     * saturation rate the ring does not fill, so the figure is the director's own delay rather than queueing (issue
     * 7's target); at a light rate a TPACKET_V3 block fills slowly and its timeout shows.
     */
    private LatencyResult runLatency(final String load, final long ratePps, final TransportOptions.RxRingVersion ring,
        final GeneratorFrames prime, final GeneratorFrames steady) throws Exception
    {
        out.println();
        out.println("case 64B " + load + ": " + ratePps + " pps offered, 1 worker, " + ring + " RX ring, for the " +
            "latency from the kernel's RX timestamp to the TX flush");
        final RunResult run = runJlvs(prime, steady, 1, ratePps, ring);
        out.println(run.describe());
        out.flush();
        return new LatencyResult(load, ring, ratePps, run);
    }

    private CaseResult runCase(
        final String name, final boolean synOnly, final GeneratorFrames prime, final GeneratorFrames steady,
        final int workers, final RunResult kernelMeasured) throws Exception
    {
        out.println();
        out.println(String.format(Locale.ROOT, "case %s: %s, %d-byte frames, %d s window after %.1f s warm-up",
            name, synOnly ? "SYN-only, every SYN a new connection (" + GeneratorFrames.SYN_PORTS +
            " source ports x a new source address per pass)" :
            GeneratorFrames.MIXED_FLOWS + " flows from " + GeneratorFrames.MIXED_SOURCE_ADDRESSES +
            " addresses, 1 in " + GeneratorFrames.TCP_FLOW_EVERY + " TCP (SYN first, then ACKs), the rest UDP",
            steady.length(0), options.measureSeconds(), options.warmUpNs() / (double)TimeUnit.SECONDS.toNanos(1)));
        out.println("jlvs with " + workers + (workers == 1 ? " forwarding worker" : " forwarding workers"));
        final RunResult jlvs = runJlvs(prime, steady, workers);
        out.println(jlvs.describe());
        final RunResult kernel = kernelMeasured != null ? kernelMeasured : runKernel(prime, steady);
        if (kernelMeasured == null)
        {
            out.println(kernel.describe());
        }
        out.flush();
        return new CaseResult(name, synOnly, workers, jlvs, kernel);
    }

    private RunResult runJlvs(final GeneratorFrames prime, final GeneratorFrames steady, final int workers)
        throws Exception
    {
        return runJlvs(prime, steady, workers, 0, TransportOptions.RxRingVersion.V3);
    }

    private RunResult runJlvs(
        final GeneratorFrames prime, final GeneratorFrames steady, final int workers, final long ratePps,
        final TransportOptions.RxRingVersion ring) throws Exception
    {
        final List<PacketTransport> transports = new ArrayList<>(workers);
        final int group = 1 + ThreadLocalRandom.current().nextInt(FANOUT_GROUP_IDS);
        try
        {
            for (int w = 0; w < workers; w++)
            {
                // In worker order: the first socket to join the group is the one that gets ARP.
                final TransportOptions.Builder options =
                    TransportOptions.builder(lab.directorInterface()).rxRingVersion(ring);
                final TransportOptions transport = workers == 1 ? options.build() :
                    options.fanoutGroupId(group).fanoutMode(TransportOptions.FANOUT_BY_CLIENT).build();
                transports.add(NetworkNamespace.call(lab.directorNamespace(), () -> AfPacketTransport.open(transport)));
            }
        }
        catch (final Exception ex)
        {
            transports.forEach(PacketTransport::close);
            throw ex;
        }
        final Director director = new Director(transports, DirectorOptions.defaults());
        try
        {
            director.apply(services());
            director.start();
            awaitResolved(director);
            return measure(JLVS, prime, steady, director, ratePps);
        }
        finally
        {
            director.close();
        }
    }

    private RunResult runKernel(final GeneratorFrames prime, final GeneratorFrames steady) throws Exception
    {
        probeRealServers();
        NftRules.install(lab, lab.directorNamespace(), NftRules.directRouting(lab.directorInterface(), lab.vip(),
            GeneratorFrames.BENCH_PORT, directorMac, serverMacs));
        try
        {
            return measure(KERNEL, prime, steady, null);
        }
        finally
        {
            NftRules.remove(lab, lab.directorNamespace());
        }
    }

    /** A UDP service and a TCP service on the VIP's bench port, rr over every real server, weight 1. */
    private List<VirtualServiceSpec> services()
    {
        final List<RealServerSpec> servers = new ArrayList<>();
        for (int n = 1; n <= lab.realServerCount(); n++)
        {
            servers.add(RealServerSpec.route(lab.realServerAddress(n), GeneratorFrames.BENCH_PORT, 1));
        }
        return List.of(
            VirtualServiceSpec.of(VirtualServiceSpec.UDP, lab.vip(), GeneratorFrames.BENCH_PORT, "rr", servers),
            VirtualServiceSpec.of(VirtualServiceSpec.TCP, lab.vip(), GeneratorFrames.BENCH_PORT, "rr", servers));
    }

    private static void awaitResolved(final Director director) throws InterruptedException, IOException
    {
        final long deadline = System.nanoTime() + RESOLVE_TIMEOUT_NS;
        while (System.nanoTime() - deadline < 0)
        {
            boolean all = director.table().serversById().length > 0;
            for (final RealServer server : director.table().serversById())
            {
                all &= server == null || server.isNeighbourReachable();
            }
            if (all)
            {
                return;
            }
            Thread.sleep(RESOLVE_POLL_MS);
        }
        throw new IOException("jlvs did not resolve the real servers' MACs within " +
            TimeUnit.NANOSECONDS.toSeconds(RESOLVE_TIMEOUT_NS) + " s, failure=" + director.failure());
    }

    /**
     * Has every real server send a frame (its UDP answer to the director's own address), so that the bridge knows
     * their ports: with jlvs stopped nothing else makes them talk, and a bridge floods frames to a MAC it forgot,
     * which would count each frame at every server.
     */
    private void probeRealServers() throws Exception
    {
        final List<String> silent = NetworkNamespace.call(lab.directorNamespace(), () ->
        {
            final List<String> missing = new ArrayList<>();
            try (DatagramSocket socket = new DatagramSocket(0))
            {
                socket.setSoTimeout(PROBE_TIMEOUT_MS);
                final byte[] request = "bench".getBytes(StandardCharsets.US_ASCII);
                for (int n = 1; n <= lab.realServerCount(); n++)
                {
                    final InetAddress address = InetAddress.getByName(LabAddresses.formatIpv4(
                        lab.realServerAddress(n)));
                    socket.send(new DatagramPacket(request, request.length,
                        new InetSocketAddress(address, Lab.UDP_PORT)));
                    try
                    {
                        socket.receive(new DatagramPacket(new byte[PROBE_BUFFER_BYTES], PROBE_BUFFER_BYTES));
                    }
                    catch (final SocketTimeoutException ex)
                    {
                        missing.add(lab.realServerName(n));
                    }
                }
            }
            return missing;
        });
        if (!silent.isEmpty())
        {
            out.println("  warning: no UDP answer from " + silent + "; the bridge may flood frames to them");
        }
    }

    /** Runs the generator through warm-up and window, stops it, waits for the rest to drain, and counts. */
    private RunResult measure(
        final String name, final GeneratorFrames prime, final GeneratorFrames steady, final Director director)
        throws Exception
    {
        return measure(name, prime, steady, director, 0);
    }

    private RunResult measure(
        final String name, final GeneratorFrames prime, final GeneratorFrames steady, final Director director,
        final long ratePps) throws Exception
    {
        final Snapshot before = snapshot(director);
        generator.start(prime, steady, options.warmUpNs() + options.measureNs() + GENERATOR_SLACK_NS, ratePps);
        final Snapshot windowStart;
        final Snapshot windowEnd;
        final Histogram latency;
        try
        {
            TimeUnit.NANOSECONDS.sleep(options.warmUpNs());
            windowStart = snapshot(director);
            if (director != null)
            {
                // empties the recorder: what follows is the window's alone
                director.latency().interval();
            }
            TimeUnit.NANOSECONDS.sleep(options.measureNs());
            windowEnd = snapshot(director);
            latency = director == null ? null : director.latency().interval();
        }
        finally
        {
            generator.stop();
        }
        final Snapshot after = drained(director);

        final long[] perServer = new long[serverMacs.length];
        for (int i = 0; i < perServer.length; i++)
        {
            perServer[i] = after.servers[i] - before.servers[i];
        }
        return new RunResult(name, windowEnd.nanoTime - windowStart.nanoTime,
            after.generated - before.generated,
            windowEnd.generated - windowStart.generated,
            after.director - before.director,
            after.received() - before.received(),
            windowEnd.received() - windowStart.received(),
            perServer,
            director == null ? -1 : windowEnd.newConnections - windowStart.newConnections,
            latency == null ? null : new RunResult.Latency(latency.getValueAtPercentile(P50),
                latency.getValueAtPercentile(P99), latency.getValueAtPercentile(P999), latency.getMaxValue(),
                latency.getTotalCount()),
            after.ringDrops - before.ringDrops,
            director == null ? "" : dropsSince(before, after));
    }

    /** Polls the servers' counters until they stop moving (bounded), then takes the closing snapshot. */
    private Snapshot drained(final Director director) throws Exception
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        Snapshot last = snapshot(director);
        while (System.nanoTime() - deadline < 0)
        {
            Thread.sleep(DRAIN_POLL_MS);
            final Snapshot next = snapshot(director);
            if (next.received() == last.received())
            {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static String dropsSince(final Snapshot before, final Snapshot after)
    {
        final StringBuilder text = new StringBuilder();
        for (final Counter counter : Counter.values())
        {
            final long delta = after.counters[counter.ordinal()] - before.counters[counter.ordinal()];
            if (counter.isDrop() && delta != 0)
            {
                text.append(text.length() == 0 ? "" : " ").append(counter.name()).append('=').append(delta);
            }
        }
        return text.toString();
    }

    private Snapshot snapshot(final Director director) throws IOException
    {
        final long[] servers = new long[serverMacs.length];
        final long nanoTime = System.nanoTime();
        final long generated = generator.sent();
        final long atDirector = InterfaceCounters.read(lab.directorNamespace(), lab.directorInterface()).rxPackets();
        for (int n = 1; n <= servers.length; n++)
        {
            servers[n - 1] = InterfaceCounters.read(lab.realServerNamespace(n), Lab.HOST_INTERFACE).rxPackets();
        }
        final long[] counters = new long[Counter.values().length];
        long ringDrops = 0;
        if (director != null)
        {
            for (final Counter counter : Counter.values())
            {
                counters[counter.ordinal()] = director.counters().get(counter);
            }
            ringDrops = director.transport().counters().rxKernelDrops();
        }
        return new Snapshot(nanoTime, generated, atDirector, servers, counters[Counter.NEW_CONNECTIONS.ordinal()],
            ringDrops, counters);
    }

    /** The counters at one moment. */
    private record Snapshot(
        long nanoTime, long generated, long director, long[] servers, long newConnections, long ringDrops,
        long[] counters)
    {
        long received()
        {
            long sum = 0;
            for (final long server : servers)
            {
                sum += server;
            }
            return sum;
        }
    }

    private static void printHeader(final HarnessOptions options, final PrintStream out)
    {
        final int cores = Runtime.getRuntime().availableProcessors();
        out.println("jlvs bench: generator -> director -> real servers in network namespaces, on veth and a bridge");
        out.println("machine: " + cores + " cores (" + cpuModel() + "), Linux " + System.getProperty("os.version") +
            " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") +
            ", load average before the run: " + loadAverage());
        out.println("note: the generator thread, jlvs's capture and forwarding threads and the kernel's softirq work " +
            "(veth, bridge, nft) all share these " + cores + " cores; the rates are this machine's, not jlvs's " +
            "alone");
        out.println("frames: 64B = " + GeneratorFrames.SMALL_FRAME_BYTES + " bytes through the socket (64 with a " +
            "wire's FCS), 1500B = " + GeneratorFrames.LARGE_FRAME_BYTES + " bytes (a full 1500-byte IP packet)");
    }

    private static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(CPUINFO))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            return "model unknown";
        }
        return "model unknown";
    }
}
