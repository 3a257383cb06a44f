package io.jlvs.cli.ipvsadm;

import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;
import io.jlvs.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One ipvsadm command line that changes the table ({@code -A -E -D -C -a -e -d}) or zeroes counters ({@code -Z}),
 * read with ipvsadm's flag letters and semantics: what {@code jlvs restore} reads line by line, what the {@code jlvs
 * add-service ...} subcommands send over the control socket, and what {@code jlvs save} prints.
 * <p>
 * As in ipvsadm, an edit replaces every setting: {@code -E} without {@code -p} makes a service non-persistent, and
 * {@code -e} without {@code -w} sets the weight to 1. Addresses and ports are numeric (ipvsadm's {@code -n}).
 *
 * @param verb                      what to do.
 * @param service                   which service; null for {@code -C}, and for {@code -Z} of every service.
 * @param scheduler                 {@code -s}, ipvsadm's default {@code wlc} when not given ({@code -A}/{@code -E}).
 * @param schedulerFlags            {@code -b}, {@link SchedulerFlags} bits.
 * @param persistenceTimeoutSeconds {@code -p}: 0 = not persistent; a bare {@code -p} is 360 s.
 * @param persistenceNetmask        {@code -M}, host byte order; all ones by default.
 * @param serverAddress             {@code -r}'s address ({@code -a}/{@code -e}/{@code -d}).
 * @param serverPort                {@code -r}'s port: the service's for DR and TUN, as ipvsadm forces it.
 * @param method                    {@code -g} (default) or {@code -i}; {@code -m} (NAT) is refused.
 * @param weight                    {@code -w}, 0..65535, default 1.
 * @param upperThreshold            {@code -x}, 0 = none.
 * @param lowerThreshold            {@code -y}, 0 = none.
 */
public record IpvsadmCommand(
    Verb verb,
    ServiceAddress service,
    String scheduler,
    int schedulerFlags,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    int serverAddress,
    int serverPort,
    ForwardingMethod method,
    int weight,
    int upperThreshold,
    int lowerThreshold)
{
    /** ipvsadm's {@code DEF_SCHED}. */
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** libipvs's {@code IPVS_SVC_PERSISTENT_TIMEOUT} (6 minutes): a bare {@code -p}. */
    public static final int DEFAULT_PERSISTENCE_SECONDS = 360;
    /** ipvsadm's {@code MAX_TIMEOUT}: 31 days. */
    public static final int MAX_PERSISTENCE_SECONDS = 86_400 * 31;
    public static final int DEFAULT_WEIGHT = 1;
    private static final int MAX_WEIGHT = 65_535;
    private static final String LONG_PREFIX = "--";

    /** The commands, with ipvsadm's letter and long name. */
    public enum Verb
    {
        ADD_SERVICE("-A", "add-service"),
        EDIT_SERVICE("-E", "edit-service"),
        DELETE_SERVICE("-D", "delete-service"),
        CLEAR("-C", "clear"),
        ADD_SERVER("-a", "add-server"),
        EDIT_SERVER("-e", "edit-server"),
        DELETE_SERVER("-d", "delete-server"),
        ZERO("-Z", "zero");

        private final String flag;
        private final String longName;

        Verb(final String flag, final String longName)
        {
            this.flag = flag;
            this.longName = longName;
        }

        /** {@code -A}. */
        public String flag()
        {
            return flag;
        }

        /** {@code add-service}: ipvsadm's long option without its dashes, and the jlvs subcommand. */
        public String longName()
        {
            return longName;
        }

        boolean isServiceEdit()
        {
            return this == ADD_SERVICE || this == EDIT_SERVICE;
        }

        boolean isServerEdit()
        {
            return this == ADD_SERVER || this == EDIT_SERVER;
        }

        boolean namesServer()
        {
            return isServerEdit() || this == DELETE_SERVER;
        }

        static Verb of(final String word)
        {
            for (final Verb verb : values())
            {
                if (verb.flag.equals(word) || (LONG_PREFIX + verb.longName).equals(word))
                {
                    return verb;
                }
            }
            return null;
        }
    }

    /** The options, named as ipvsadm names them in its errors. */
    private enum Option
    {
        SERVICE("service-address"),
        SCHEDULER("scheduler"),
        PERSISTENT("persistent"),
        NETMASK("netmask"),
        SCHED_FLAGS("sched-flags"),
        SERVER("real-server"),
        FORWARD("forwarding-method"),
        WEIGHT("weight"),
        UTHRESHOLD("u-threshold"),
        LTHRESHOLD("l-threshold");

        private final String label;

        Option(final String label)
        {
            this.label = label;
        }
    }

    public IpvsadmCommand
    {
        if (verb == null)
        {
            throw new IllegalArgumentException("verb must be given");
        }
    }

    /** {@code -D}, {@code -d} or {@code -Z} of one service, and other commands without settings. */
    static IpvsadmCommand of(final Verb verb, final ServiceAddress service)
    {
        return new IpvsadmCommand(verb, service, null, 0, 0, VirtualServiceSpec.HOST_NETMASK, 0, 0,
            ForwardingMethod.ROUTE, DEFAULT_WEIGHT, 0, 0);
    }

    /**
     * Reads one ipvsadm command line, split into words, the command first ({@code -A -t 10.0.0.1:80 -s wrr}).
     *
     * @throws IllegalArgumentException with ipvsadm's message for what is wrong.
     */
    public static IpvsadmCommand parse(final List<String> words)
    {
        if (words.isEmpty())
        {
            throw new IllegalArgumentException("no command given");
        }
        final Verb verb = Verb.of(words.get(0));
        if (verb == null)
        {
            throw new IllegalArgumentException("expected a command (-A -E -D -C -a -e -d -Z) first, found '" +
                words.get(0) + "'");
        }
        final Set<Option> given = EnumSet.noneOf(Option.class);
        ServiceAddress service = null;
        String scheduler = null;
        int flags = 0;
        int persistence = 0;
        int netmask = VirtualServiceSpec.HOST_NETMASK;
        String server = null;
        ForwardingMethod method = ForwardingMethod.ROUTE;
        int weight = DEFAULT_WEIGHT;
        int upper = 0;
        int lower = 0;
        for (int i = 1; i < words.size(); i++)
        {
            String word = words.get(i);
            String value = null;
            final int equals = word.indexOf('=');
            if (word.startsWith(LONG_PREFIX) && equals > 0)
            {
                value = word.substring(equals + 1);
                word = word.substring(0, equals);
            }
            switch (word)
            {
                case "-t": case "--tcp-service":
                    set(given, Option.SERVICE);
                    service = ServiceAddress.tcp(value != null ? value : argument(words, ++i, word));
                    break;
                case "-u": case "--udp-service":
                    set(given, Option.SERVICE);
                    service = ServiceAddress.udp(value != null ? value : argument(words, ++i, word));
                    break;
                case "-f": case "--fwmark-service":
                    set(given, Option.SERVICE);
                    service = ServiceAddress.fwmark(value != null ? value : argument(words, ++i, word));
                    break;
                case "-s": case "--scheduler":
                    set(given, Option.SCHEDULER);
                    scheduler = value != null ? value : argument(words, ++i, word);
                    if (!Schedulers.exists(scheduler))
                    {
                        throw new IllegalArgumentException("unknown scheduler '" + scheduler + "', known: " +
                            Schedulers.names());
                    }
                    break;
                case "-p": case "--persistent":
                    set(given, Option.PERSISTENT);
                    // popt's optional argument: the next word, unless it is an option.
                    if (value == null && i + 1 < words.size() && !words.get(i + 1).startsWith("-"))
                    {
                        value = words.get(++i);
                    }
                    persistence = value == null ? DEFAULT_PERSISTENCE_SECONDS : timeout(value);
                    break;
                case "-M": case "--netmask":
                    set(given, Option.NETMASK);
                    netmask = netmask(value != null ? value : argument(words, ++i, word));
                    break;
                case "-b": case "--sched-flags":
                    set(given, Option.SCHED_FLAGS);
                    flags = SchedulerFlags.parse(value != null ? value : argument(words, ++i, word)).bits();
                    break;
                case "-r": case "--real-server":
                    set(given, Option.SERVER);
                    server = value != null ? value : argument(words, ++i, word);
                    break;
                case "-g": case "--gatewaying":
                    set(given, Option.FORWARD);
                    method = ForwardingMethod.ROUTE;
                    break;
                case "-i": case "--ipip":
                    set(given, Option.FORWARD);
                    method = ForwardingMethod.TUNNEL;
                    break;
                case "-m": case "--masquerading":
                    throw new IllegalArgumentException("masquerading (-m, NAT) is not supported: jlvs forwards by " +
                        "direct routing (-g), the real servers answer the clients themselves");
                case "-w": case "--weight":
                    set(given, Option.WEIGHT);
                    weight = number(value != null ? value : argument(words, ++i, word), MAX_WEIGHT, "weight");
                    break;
                case "-x": case "--u-threshold":
                    set(given, Option.UTHRESHOLD);
                    upper = number(value != null ? value : argument(words, ++i, word), Integer.MAX_VALUE,
                        "u_threshold");
                    break;
                case "-y": case "--l-threshold":
                    set(given, Option.LTHRESHOLD);
                    lower = number(value != null ? value : argument(words, ++i, word), Integer.MAX_VALUE,
                        "l_threshold");
                    break;
                case "-o": case "--ops":
                    throw new IllegalArgumentException("one-packet scheduling (-o, --ops) is not implemented by jlvs");
                case "-6": case "--ipv6":
                    throw new IllegalArgumentException("IPv6 (-6) is not supported: jlvs serves IPv4 only");
                default:
                    if (Verb.of(word) != null)
                    {
                        throw new IllegalArgumentException("multiple commands specified");
                    }
                    throw new IllegalArgumentException(word.startsWith("-") ? "invalid option `" + word + "'" :
                        "unexpected argument " + word);
            }
        }
        checkOptions(verb, given);
        if (verb.isServiceEdit())
        {
            if (!service.isFwmark() && service.port() == 0 && persistence == 0)
            {
                throw new IllegalArgumentException("Zero port specified for non-persistent service");
            }
            scheduler = scheduler == null ? DEFAULT_SCHEDULER : scheduler;
        }
        int serverAddress = 0;
        int serverPort = 0;
        if (server != null)
        {
            final ServiceAddress.Endpoint endpoint = ServiceAddress.Endpoint.parse(server, "real server");
            serverAddress = endpoint.address();
            // ipvsadm copies the virtual port when none is given, and DR and TUN cannot change the port anyway.
            serverPort = endpoint.hasPort() && service.isFwmark() ? endpoint.port() : service.port();
        }
        return new IpvsadmCommand(verb, service, scheduler, flags, persistence, netmask, serverAddress, serverPort,
            method, weight, upper, lower);
    }

    /** Splits a line on white space and reads it; a blank line or a {@code #} comment gives null. */
    public static IpvsadmCommand parseLine(final String line)
    {
        final String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#"))
        {
            return null;
        }
        return parse(List.of(trimmed.split("\\s+")));
    }

    /**
     * The command as ipvsadm's {@code -S -n} writes it: {@code -A -t 198.18.0.100:80 -s wrr -p 300},
     * {@code -a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 3}; thresholds are added when set.
     */
    public String toArgs()
    {
        final StringBuilder out = new StringBuilder(verb.flag);
        if (service != null)
        {
            out.append(' ').append(service.toArgs());
        }
        if (verb.isServiceEdit())
        {
            out.append(" -s ").append(scheduler);
            final String flagNames = IpvsadmFormat.schedulerFlagNames(scheduler, schedulerFlags);
            if (!flagNames.isEmpty())
            {
                out.append(" -b ").append(flagNames);
            }
            if (persistenceTimeoutSeconds > 0)
            {
                out.append(" -p ").append(persistenceTimeoutSeconds);
                if (persistenceNetmask != VirtualServiceSpec.HOST_NETMASK)
                {
                    out.append(" -M ").append(Ipv4.toString(persistenceNetmask));
                }
            }
        }
        if (verb.namesServer())
        {
            out.append(" -r ").append(Ipv4.toString(serverAddress)).append(':').append(serverPort);
        }
        if (verb.isServerEdit())
        {
            out.append(method == ForwardingMethod.TUNNEL ? " -i" : " -g").append(" -w ").append(weight);
            if (upperThreshold > 0)
            {
                out.append(" -x ").append(upperThreshold);
            }
            if (lowerThreshold > 0)
            {
                out.append(" -y ").append(lowerThreshold);
            }
        }
        return out.toString();
    }

    /** ipvsadm's {@code commands_v_options}: what each command needs and what it must not have. */
    private static void checkOptions(final Verb verb, final Set<Option> given)
    {
        final Set<Option> required;
        final Set<Option> allowed;
        switch (verb)
        {
            case ADD_SERVICE: case EDIT_SERVICE:
                required = EnumSet.of(Option.SERVICE);
                allowed = EnumSet.of(Option.SERVICE, Option.SCHEDULER, Option.PERSISTENT, Option.NETMASK,
                    Option.SCHED_FLAGS);
                break;
            case DELETE_SERVICE:
                required = EnumSet.of(Option.SERVICE);
                allowed = required;
                break;
            case ADD_SERVER: case EDIT_SERVER:
                required = EnumSet.of(Option.SERVICE, Option.SERVER);
                allowed = EnumSet.of(Option.SERVICE, Option.SERVER, Option.FORWARD, Option.WEIGHT,
                    Option.UTHRESHOLD, Option.LTHRESHOLD);
                break;
            case DELETE_SERVER:
                required = EnumSet.of(Option.SERVICE, Option.SERVER);
                allowed = required;
                break;
            case ZERO:
                required = EnumSet.noneOf(Option.class);
                allowed = EnumSet.of(Option.SERVICE);
                break;
            default:
                required = EnumSet.noneOf(Option.class);
                allowed = required;
                break;
        }
        for (final Option option : Option.values())
        {
            if (required.contains(option) && !given.contains(option))
            {
                throw new IllegalArgumentException("You need to supply the '" + option.label + "' option for the '" +
                    verb.longName + "' command");
            }
            if (given.contains(option) && !allowed.contains(option))
            {
                throw new IllegalArgumentException("Illegal '" + option.label + "' option with the '" +
                    verb.longName + "' command");
            }
        }
    }

    private static void set(final Set<Option> given, final Option option)
    {
        if (!given.add(option))
        {
            throw new IllegalArgumentException("multiple '" + option.label + "' options specified");
        }
    }

    private static String argument(final List<String> words, final int index, final String option)
    {
        if (index >= words.size())
        {
            throw new IllegalArgumentException("option " + option + " needs an argument");
        }
        return words.get(index);
    }

    private static int timeout(final String text)
    {
        try
        {
            final int seconds = Integer.parseInt(text);
            if (seconds >= 1 && seconds <= MAX_PERSISTENCE_SECONDS)
            {
                return seconds;
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below, as ipvsadm does.
        }
        throw new IllegalArgumentException("invalid timeout value `" + text + "' specified");
    }

    private static int netmask(final String text)
    {
        try
        {
            return Ipv4.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("illegal virtual server persistent mask specified: '" + text + "'");
        }
    }

    private static int number(final String text, final int max, final String what)
    {
        try
        {
            final long value = Long.parseLong(text);
            if (value >= 0 && value <= max)
            {
                return (int)value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below, as ipvsadm does.
        }
        throw new IllegalArgumentException("illegal " + what + " specified: '" + text + "'");
    }

    /** The words of {@link #toArgs()}, for tests and for sending. */
    public List<String> words()
    {
        return new ArrayList<>(List.of(toArgs().split(" ")));
    }

    @Override
    public String toString()
    {
        return toArgs();
    }
}
