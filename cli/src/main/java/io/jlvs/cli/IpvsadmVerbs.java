package io.jlvs.cli;

import io.jlvs.cli.control.ControlClient;
import io.jlvs.cli.control.ControlServer;
import io.jlvs.cli.control.DirectorControl;
import io.jlvs.cli.ipvsadm.IpvsadmCommand;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * ipvsadm's verbs as {@code jlvs} subcommands, with ipvsadm's flag letters: {@code add-service}, {@code edit-service},
 * {@code delete-service}, {@code add-server}, {@code edit-server}, {@code delete-server}, {@code zero}, {@code save}
 * and {@code restore}. Each reads its command line here, checks it as ipvsadm would ({@link IpvsadmCommand}), and
 * sends it to the running director over its control socket.
 * <p>
 * Runtime edits apply on top of the configuration file's services until the next reload (SIGHUP or the control
 * socket), which restores the file's services.
 */
final class IpvsadmVerbs
{
    /** An edit waits for the health monitor and the director to take the new list: milliseconds, usually. */
    private static final String DEFAULT_CONTROL_TIMEOUT_MS = "10000";
    private static final String EDITS_LAST_UNTIL_RELOAD = "Runtime edits apply on top of the configuration file " +
        "until the next reload (SIGHUP), which restores the file's services.";

    private IpvsadmVerbs()
    {
    }

    /** What every verb shares: where the director is, and sending one request to it. */
    abstract static class Verb implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--control", paramLabel = "PATH", defaultValue = Main.DEFAULT_CONTROL_PATH,
            description = "The running director's control socket (default: ${DEFAULT-VALUE}).")
        Path control;

        @Option(names = "--control-timeout", paramLabel = "MS", defaultValue = DEFAULT_CONTROL_TIMEOUT_MS,
            description = "How long to wait for the director's answer (default: ${DEFAULT-VALUE} ms).")
        long controlTimeoutMs;

        /** Sends {@code request}; prints the answer, or the error on stderr. */
        int send(final String request)
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final String answer;
            try
            {
                answer = ControlClient.request(control, request, controlTimeoutMs);
            }
            catch (final IOException ex)
            {
                err.println("jlvs: cannot reach the control socket " + control + ": " + ex.getMessage() +
                    " (is 'jlvs run --control " + control + "' running, and are you its user?)");
                return ExitCodes.FAILURE;
            }
            if (answer.startsWith(ControlServer.ERROR_PREFIX))
            {
                err.print("jlvs: " + answer.substring(ControlServer.ERROR_PREFIX.length()));
                err.flush();
                return ExitCodes.FAILURE;
            }
            out.print(answer);
            out.flush();
            return ExitCodes.OK;
        }

        /** Reads {@code words} as ipvsadm does; an error is a usage error naming what is wrong. */
        IpvsadmCommand parse(final List<String> words)
        {
            try
            {
                return IpvsadmCommand.parse(words);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
            }
        }
    }

    /** A verb that sends one ipvsadm command. */
    abstract static class Edit extends Verb
    {
        @Override
        public Integer call()
        {
            return send(DirectorControl.IPVSADM + ' ' + parse(words()).toArgs());
        }

        /** The ipvsadm command line, the command first. */
        abstract List<String> words();
    }

    /** {@code -t}, {@code -u} or {@code -f}: which service. */
    static final class ServiceChoice
    {
        @Option(names = {"-t", "--tcp-service"}, paramLabel = "VIP:PORT", required = true,
            description = "A TCP service: its virtual address and port.")
        String tcp;

        @Option(names = {"-u", "--udp-service"}, paramLabel = "VIP:PORT", required = true,
            description = "A UDP service: its virtual address and port.")
        String udp;

        @Option(names = {"-f", "--fwmark-service"}, paramLabel = "MARK", required = true,
            description = "A fwmark service of the configuration (virtual_server fwmark MARK).")
        String fwmark;

        void addTo(final List<String> words)
        {
            if (tcp != null)
            {
                words.add("-t");
                words.add(tcp);
            }
            else if (udp != null)
            {
                words.add("-u");
                words.add(udp);
            }
            else if (fwmark != null)
            {
                words.add("-f");
                words.add(fwmark);
            }
        }
    }

    /** {@code -s}, {@code -p}, {@code -M}, {@code -b}: how a service schedules. */
    static final class Scheduling
    {
        @Option(names = {"-s", "--scheduler"}, paramLabel = "SCHED",
            description = "The scheduler: rr, wrr, lc, wlc (the default), lblc, lblcr, dh, sh, sed, nq, fo, ovf, " +
                "mh, ...")
        String scheduler;

        @Option(names = {"-p", "--persistent"}, paramLabel = "TIMEOUT", arity = "0..1", fallbackValue = "",
            description = "Persistent service: a client sticks to its server for TIMEOUT seconds after its last " +
                "connection (default: " + IpvsadmCommand.DEFAULT_PERSISTENCE_SECONDS + ").")
        String persistent;

        @Option(names = {"-M", "--netmask"}, paramLabel = "NETMASK",
            description = "Persistence granularity: clients in one NETMASK network share a server " +
                "(default 255.255.255.255).")
        String netmask;

        @Option(names = {"-b", "--sched-flags"}, paramLabel = "FLAGS",
            description = "Scheduler flags, comma-separated: sh-fallback, sh-port, mh-fallback, mh-port, flag-1, " +
                "flag-2.")
        String flags;

        void addTo(final List<String> words)
        {
            add(words, "-s", scheduler);
            if (persistent != null)
            {
                words.add("-p");
                if (!persistent.isEmpty())
                {
                    words.add(persistent);
                }
            }
            add(words, "-M", netmask);
            add(words, "-b", flags);
        }
    }

    /** {@code -r}, {@code -g|-i|-m}, {@code -w}, {@code -x}, {@code -y}: a real server and how it is used. */
    static final class Server
    {
        @Option(names = {"-r", "--real-server"}, paramLabel = "RS[:PORT]", required = true,
            description = "The real server's address (its port is the service's, as DR and TUN require).")
        String server;

        @Option(names = {"-g", "--gatewaying"}, description = "Direct routing (the default).")
        boolean gatewaying;

        @Option(names = {"-i", "--ipip"},
            description = "IP-in-IP tunnelling (TUN): the real server decapsulates (ipip module or jlvs " +
                "tunnel-endpoint).")
        boolean ipip;

        @Option(names = {"-m", "--masquerading"}, description = "NAT: not supported by jlvs (refused).")
        boolean masquerading;

        @Option(names = {"-w", "--weight"}, paramLabel = "WEIGHT",
            description = "Weight 0..65535 (default 1; 0 quiesces: no new connections).")
        String weight;

        @Option(names = {"-x", "--u-threshold"}, paramLabel = "UTHRESHOLD",
            description = "No new connections above this many (0 = none).")
        String upper;

        @Option(names = {"-y", "--l-threshold"}, paramLabel = "LTHRESHOLD",
            description = "New connections again below this many (0 = none).")
        String lower;

        void addTo(final List<String> words)
        {
            add(words, "-r", server);
            if (gatewaying)
            {
                words.add("-g");
            }
            if (ipip)
            {
                words.add("-i");
            }
            if (masquerading)
            {
                words.add("-m");
            }
            add(words, "-w", weight);
            add(words, "-x", upper);
            add(words, "-y", lower);
        }
    }

    private static void add(final List<String> words, final String flag, final String value)
    {
        if (value != null)
        {
            words.add(flag);
            words.add(value);
        }
    }

    @Command(name = "add-service", mixinStandardHelpOptions = true,
        description = {"ipvsadm -A: add a virtual service to the running director.", EDITS_LAST_UNTIL_RELOAD})
    static final class AddService extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Mixin
        Scheduling scheduling;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.ADD_SERVICE.flag()));
            service.addTo(words);
            scheduling.addTo(words);
            return words;
        }
    }

    @Command(name = "edit-service", mixinStandardHelpOptions = true,
        description = {"ipvsadm -E: change a virtual service's scheduler and persistence. As with ipvsadm, what is " +
            "not given returns to its default (no -p: not persistent; no -s: wlc).", EDITS_LAST_UNTIL_RELOAD})
    static final class EditService extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Mixin
        Scheduling scheduling;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.EDIT_SERVICE.flag()));
            service.addTo(words);
            scheduling.addTo(words);
            return words;
        }
    }

    @Command(name = "delete-service", mixinStandardHelpOptions = true,
        description = {"ipvsadm -D: remove a virtual service (one VIP:port of a group: that pair only).",
            EDITS_LAST_UNTIL_RELOAD})
    static final class DeleteService extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.DELETE_SERVICE.flag()));
            service.addTo(words);
            return words;
        }
    }

    @Command(name = "add-server", mixinStandardHelpOptions = true,
        description = {"ipvsadm -a: add a real server to a virtual service. It has no health check: it stays " +
            "until removed.", EDITS_LAST_UNTIL_RELOAD})
    static final class AddServer extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Mixin
        Server server;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.ADD_SERVER.flag()));
            service.addTo(words);
            server.addTo(words);
            return words;
        }
    }

    @Command(name = "edit-server", mixinStandardHelpOptions = true,
        description = {"ipvsadm -e: change a real server's weight, thresholds and method. As with ipvsadm, what is " +
            "not given returns to its default (no -w: weight 1). Its health checks stay.", EDITS_LAST_UNTIL_RELOAD})
    static final class EditServer extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Mixin
        Server server;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.EDIT_SERVER.flag()));
            service.addTo(words);
            server.addTo(words);
            return words;
        }
    }

    @Command(name = "delete-server", mixinStandardHelpOptions = true,
        description = {"ipvsadm -d: remove a real server from a virtual service; its established connections go " +
            "on until they end.", EDITS_LAST_UNTIL_RELOAD})
    static final class DeleteServer extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServiceChoice service;

        @Option(names = {"-r", "--real-server"}, paramLabel = "RS[:PORT]", required = true,
            description = "The real server's address.")
        String server;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.DELETE_SERVER.flag()));
            service.addTo(words);
            add(words, "-r", server);
            return words;
        }
    }

    @Command(name = "zero", mixinStandardHelpOptions = true,
        description = {"ipvsadm -Z: count the traffic of one service's real servers (or of every service's) from " +
            "zero again, in 'list --stats' and 'list --rate'; without a service, 'list --latency' restarts too."})
    static final class Zero extends Edit
    {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        ServiceChoice service;

        @Override
        List<String> words()
        {
            final List<String> words = new ArrayList<>(List.of(IpvsadmCommand.Verb.ZERO.flag()));
            if (service != null)
            {
                service.addTo(words);
            }
            return words;
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
        description = {"ipvsadm -S -n: print the running table as ipvsadm rules (-A and -a lines), what " +
            "'jlvs restore' and 'ipvsadm -R' read. Servers that health checks took out are not in it."})
    static final class Save extends Verb
    {
        @Option(names = {"-n", "--numeric"}, description = "Numeric addresses and ports (always on).")
        boolean numeric;

        @Override
        public Integer call()
        {
            return send(DirectorControl.SAVE);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"ipvsadm -R: apply ipvsadm rules (-A -E -D -C -a -e -d, one per line, as 'jlvs save' and " +
            "'ipvsadm -S -n' write them) read from stdin, all or nothing: on the first error nothing changes. " +
            "The rules add to the running services; start them with -C to replace them.", EDITS_LAST_UNTIL_RELOAD})
    static final class RestoreRules extends Verb
    {
        @Option(names = "--from", paramLabel = "FILE", description = "Read the rules from FILE instead of stdin.")
        Path from;

        @Override
        public Integer call() throws IOException
        {
            final String rules;
            if (from != null)
            {
                rules = Files.readString(from, StandardCharsets.UTF_8);
            }
            else
            {
                final InputStream in = System.in;
                rules = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // Syntax first, here: a usage error names its line before the director is asked anything.
            final List<String> lines = rules.lines().toList();
            for (int i = 0; i < lines.size(); i++)
            {
                try
                {
                    IpvsadmCommand.parseLine(lines.get(i));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                        "line " + (i + 1) + ": " + lines.get(i).trim() + ": " + ex.getMessage());
                }
            }
            return send(DirectorControl.RESTORE + '\n' + rules);
        }
    }
}
