package io.jlvs.doctor;

import io.jlvs.doctor.host.Sysctls;
import io.jlvs.scheduler.Ipv4;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link HostView} that answers with canned text from {@code src/test/resources/hosts/NAME/}, so that every check
 * can be run against a good host and against each way of breaking it.
 * <p>
 * Each source is a file: {@code ip-addr.txt}, {@code ip-link.txt}, {@code nft-ruleset.txt},
 * {@code iptables-save.txt}, {@code proc-modules.txt}, {@code processes.txt}, {@code packet-probe.txt} hold what
 * the host prints; {@code SOURCE.err} makes reading it fail with that text; {@code SOURCE.absent} (or no file)
 * means the tool or file does not exist. {@code sysctl.txt} holds {@code sysctl -a} lines, {@code sys-module.txt}
 * the names under /sys/module, {@code routes.txt} one {@code QUESTION => ANSWER} per line ({@code ! ERROR} when ip
 * failed). A {@code base.txt} names a fixture this one starts from; its own files replace the base's, sysctls and
 * routes one by one. Tests change single values with the {@code with*} methods.
 */
final class FixtureHostView implements HostView
{
    static final String ADDRESSES = "ip-addr";
    static final String LINKS = "ip-link";
    static final String NFT = "nft-ruleset";
    static final String IPTABLES = "iptables-save";
    static final String MODULES = "proc-modules";
    static final String PROCESSES = "processes";
    static final String PACKET_PROBE = "packet-probe";
    private static final Set<String> SOURCES = Set.of(ADDRESSES, LINKS, NFT, IPTABLES, MODULES, PROCESSES,
        PACKET_PROBE);
    private static final String ROOT = "/hosts/";
    private static final String ARROW = "=>";
    private static final String ERROR_MARK = "!";
    /** What ip says for a lookup the fixture does not list: a host without a default route. */
    private static final String NO_ROUTE = "RTNETLINK answers: Network is unreachable";

    private final Map<String, Reading> sources = new HashMap<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Set<String> sysModules = new TreeSet<>();
    private final Map<String, Reading> routes = new HashMap<>();

    private FixtureHostView()
    {
    }

    /** The fixture {@code hosts/NAME}, on top of its base if it names one. */
    static FixtureHostView load(final String name)
    {
        final FixtureHostView view = new FixtureHostView();
        view.apply(name);
        if (view.sources.isEmpty() && view.sysctls.isEmpty())
        {
            throw new IllegalArgumentException("no fixture host " + name + " under src/test/resources" + ROOT);
        }
        return view;
    }

    private void apply(final String name)
    {
        final String base = resource(name, "base.txt");
        if (base != null)
        {
            apply(base.trim());
        }
        for (final String source : SOURCES)
        {
            final String text = resource(name, source + ".txt");
            final String error = resource(name, source + ".err");
            if (text != null)
            {
                sources.put(source, Reading.present(text));
            }
            else if (error != null)
            {
                sources.put(source, Reading.failed(error.strip()));
            }
            else if (resource(name, source + ".absent") != null)
            {
                sources.remove(source);
            }
        }
        final String sysctlText = resource(name, "sysctl.txt");
        if (sysctlText != null)
        {
            for (final String line : sysctlText.split("\n"))
            {
                final int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#"))
                {
                    sysctls.put(Sysctls.path(line.substring(0, equals).trim()), line.substring(equals + 1).trim());
                }
            }
        }
        final String moduleText = resource(name, "sys-module.txt");
        if (moduleText != null)
        {
            sysModules.clear();
            for (final String line : moduleText.split("\n"))
            {
                if (!line.isBlank())
                {
                    sysModules.add(line.trim());
                }
            }
        }
        final String routeText = resource(name, "routes.txt");
        if (routeText != null)
        {
            for (final String line : routeText.split("\n"))
            {
                final int arrow = line.indexOf(ARROW);
                if (arrow > 0 && !line.startsWith("#"))
                {
                    final String answer = line.substring(arrow + ARROW.length()).trim();
                    routes.put(line.substring(0, arrow).trim(), answer.startsWith(ERROR_MARK) ?
                        Reading.failed(answer.substring(1).trim()) : Reading.present(answer));
                }
            }
        }
    }

    /** Sets a sysctl by dotted key ({@code net.ipv4.conf.all.arp_ignore}). */
    FixtureHostView withSysctl(final String key, final String value)
    {
        sysctls.put(Sysctls.path(key), value);
        return this;
    }

    /** Makes /sys/module/NAME exist (a module loaded or built in). */
    FixtureHostView withSysModule(final String name)
    {
        sysModules.add(name);
        return this;
    }

    /** Replaces a source's text. */
    FixtureHostView withText(final String source, final String text)
    {
        requireSource(source);
        sources.put(source, Reading.present(text));
        return this;
    }

    /** Makes reading a source fail with {@code error}. */
    FixtureHostView withFailure(final String source, final String error)
    {
        requireSource(source);
        sources.put(source, Reading.failed(error));
        return this;
    }

    /** Makes a source absent (tool not installed). */
    FixtureHostView without(final String source)
    {
        requireSource(source);
        sources.remove(source);
        return this;
    }

    /** Sets the answer of {@code ip route get DESTINATION [from SOURCE]}; an answer starting with ! is an error. */
    FixtureHostView withRoute(final String question, final String answer)
    {
        routes.put(question, answer.startsWith(ERROR_MARK) ? Reading.failed(answer.substring(1).trim()) :
            Reading.present(answer));
        return this;
    }

    /** The text of one source as loaded (to edit it in a test). */
    String text(final String source)
    {
        requireSource(source);
        final Reading reading = sources.get(source);
        if (reading == null || !reading.isPresent())
        {
            throw new IllegalStateException("fixture has no text for " + source);
        }
        return reading.text();
    }

    @Override
    public Reading sysctl(final String path)
    {
        final String value = sysctls.get(path);
        return value == null ? Reading.absent("/proc/sys/" + path + " does not exist") : Reading.present(value);
    }

    @Override
    public Reading addresses()
    {
        return source(ADDRESSES);
    }

    @Override
    public Reading links()
    {
        return source(LINKS);
    }

    @Override
    public Reading routeGet(final int destination, final int source)
    {
        final String question = Ipv4.toString(destination) + (source == 0 ? "" : " from " + Ipv4.toString(source));
        final Reading answer = routes.get(question);
        return answer == null ? Reading.failed(NO_ROUTE) : answer;
    }

    @Override
    public Reading nftRuleset()
    {
        return source(NFT);
    }

    @Override
    public Reading iptablesSave()
    {
        return source(IPTABLES);
    }

    @Override
    public Reading modules()
    {
        return source(MODULES);
    }

    @Override
    public boolean kernelModulePresent(final String name)
    {
        return sysModules.contains(name);
    }

    @Override
    public Reading processes()
    {
        return source(PROCESSES);
    }

    @Override
    public Reading packetSocketProbe(final String interfaceName)
    {
        final Reading probe = sources.get(PACKET_PROBE);
        return probe == null ? Reading.absent("no AF_PACKET probe was given") : probe;
    }

    private Reading source(final String source)
    {
        final Reading reading = sources.get(source);
        return reading == null ? Reading.absent(source + " does not exist on this host") : reading;
    }

    private static void requireSource(final String source)
    {
        if (!SOURCES.contains(source))
        {
            throw new IllegalArgumentException("no such fixture source: " + source + ", sources=" + SOURCES);
        }
    }

    private static String resource(final String host, final String file)
    {
        try (InputStream in = FixtureHostView.class.getResourceAsStream(ROOT + host + "/" + file))
        {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read fixture " + host + "/" + file, ex);
        }
    }
}
