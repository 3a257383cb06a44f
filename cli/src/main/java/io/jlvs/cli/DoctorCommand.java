package io.jlvs.cli;

import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.config.RealServerConfig;
import io.jlvs.config.VirtualAddress;
import io.jlvs.config.VirtualServiceConfig;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.doctor.Diagnosis;
import io.jlvs.doctor.DiagnosisRenderer;
import io.jlvs.doctor.Doctor;
import io.jlvs.doctor.DoctorOptions;
import io.jlvs.doctor.LocalHostView;
import io.jlvs.doctor.Mode;
import io.jlvs.doctor.Reading;
import io.jlvs.doctor.Role;
import io.jlvs.scheduler.Ipv4;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jlvs doctor}: checks the host it runs on as a director (what jlvs needs from the kernel and the host on its
 * interface) or as a real server behind one (what DR or TUN needs from it), and prints one line per finding with the
 * command that fixes it. It only reads the host; the fixes are printed, never run.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
        "Check this host as a jlvs director (default) or as a real server behind one, and print one line per " +
            "finding: OK, WARN or FAIL, what was found, and the command that fixes it. Nothing is changed.",
        "Director: the interface (up, Ethernet, MTU), the AF_PACKET socket and ring jlvs opens on it, ip_forward, " +
            "the VIPs not configured here, no firewall rule taking the VIPs' frames, no masquerade, and (with " +
            "--config) each DR real server on the interface's segment and a route to each TUN one.",
        "Real server: the VIP on lo as a /32, arp_ignore/arp_announce, rp_filter, the reply route to the client, " +
            "firewall and masquerade rules on the replies, and in TUN mode whether IPIP can be decapsulated (the " +
            "ipip module, or 'jlvs tunnel-endpoint' running)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:nothing failed (warnings may be printed)",
        "1:at least one FAIL",
        "2:usage or configuration error, nothing checked"})
final class DoctorCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--role", paramLabel = "director|real-server", defaultValue = "director",
        description = "Which host this is (default: ${DEFAULT-VALUE}).")
    private String role;

    @Option(names = "--interface", paramLabel = "IF",
        description = "Director: the interface jlvs serves (required). Real server: the interface facing the " +
            "director and the clients (default: the one the reply route leaves by).")
    private String interfaceName;

    @Option(names = "--vip", paramLabel = "VIP",
        description = "A virtual IP; repeatable. A real server needs at least one; a director takes them from " +
            "--config too.")
    private List<String> vips = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "dr|tun", defaultValue = "dr",
        description = "Real server: how the director sends it the packets (default: ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--client", paramLabel = "ADDR",
        description = "A client address to check the reply route with (ip route get ADDR from VIP).")
    private String client;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Director: the keepalived.conf jlvs serves; its VIPs are checked, and its real servers by " +
            "their lb_kind (each DR one on the interface's segment, a route to each TUN one).")
    private Path config;

    @Option(names = "--json", description = "Print the findings as one JSON document (for scripts).")
    private boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Role parsedRole = parse(() -> Role.parse(role));
        final DoctorOptions.Builder options = DoctorOptions.builder().mode(parse(() -> Mode.parse(mode)))
            .interfaceName(interfaceName);
        for (final String vip : vips)
        {
            options.vip(parse(() -> Ipv4.parse(vip)));
        }
        if (client != null)
        {
            options.client(parse(() -> Ipv4.parse(client)));
        }
        if (parsedRole == Role.DIRECTOR && interfaceName == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "the director's doctor needs the interface jlvs serves: --interface IF");
        }
        if (parsedRole == Role.REAL_SERVER && config != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--config describes the director's services; on a real server give --vip VIP (and --mode)");
        }
        if (config != null)
        {
            try
            {
                addServices(KeepalivedConfig.parse(config), options);
            }
            catch (final ConfigException ex)
            {
                err.println("jlvs: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
        }

        final LocalHostView.Builder host = LocalHostView.builder();
        if (parsedRole == Role.DIRECTOR)
        {
            host.packetSocketProbe(DoctorCommand::probePacketSocket);
        }
        final Diagnosis diagnosis;
        try
        {
            diagnosis = Doctor.diagnose(parsedRole, options.build(), host.build());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        out.print(json ? DiagnosisRenderer.json(diagnosis) : DiagnosisRenderer.text(diagnosis));
        out.flush();
        return diagnosis.exitCode();
    }

    /**
     * The VIPs and real servers of every service in the file; a real server's {@code lb_kind} is its own or its
     * service's (DR when the file names none, as {@code run} reads it), the sorry server's too.
     */
    static void addServices(final DirectorConfig parsed, final DoctorOptions.Builder options)
    {
        for (final VirtualServiceConfig service : parsed.services())
        {
            for (final VirtualAddress address : service.addresses())
            {
                options.vip(address.address());
            }
            for (final RealServerConfig server : service.realServers())
            {
                options.realServer(server.address(), mode(server, service));
            }
            if (service.sorryServer() != null)
            {
                options.realServer(service.sorryServer().address(), mode(service.sorryServer(), service));
            }
        }
    }

    private static Mode mode(final RealServerConfig server, final VirtualServiceConfig service)
    {
        final ForwardingMethod method = server.method() != null ? server.method() : service.method();
        return method == ForwardingMethod.TUN ? Mode.TUN : Mode.DR;
    }

    /**
     * Opens and closes what {@code jlvs run} opens on the interface, in this process's namespace: an AF_PACKET
     * socket with the default TPACKET_V3 ring, mapped. Failed with the transport's own message (the step, the errno
     * and the usual cause) when that does not work.
     */
    static Reading probePacketSocket(final String interfaceName)
    {
        final TransportOptions options = TransportOptions.of(interfaceName);
        try (AfPacketTransport transport = AfPacketTransport.open(options))
        {
            return Reading.present("ring " + options.blockCount() + " x " + options.blockSizeBytes() + " bytes" +
                (transport.vnetHeader() ? ", virtio-net headers" : "") + ", MTU " + transport.mtu());
        }
        catch (final RuntimeException | LinkageError ex)
        {
            // LinkageError: JNA cannot load its native part here
            return Reading.failed(ex.getMessage() != null ? ex.getMessage() : ex.toString());
        }
    }

    /** Runs a parser of the doctor module; its {@link IllegalArgumentException} becomes a usage error. */
    private <T> T parse(final Parser<T> parser)
    {
        try
        {
            return parser.parse();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    @FunctionalInterface
    private interface Parser<T>
    {
        T parse();
    }
}
