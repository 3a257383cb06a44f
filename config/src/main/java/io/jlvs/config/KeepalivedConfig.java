package io.jlvs.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads keepalived.conf, as operators already write it, into a {@link DirectorConfig}: the {@code virtual_server}
 * and {@code virtual_server_group} sections with their real servers and checkers. Sections jlvs does not implement
 * ({@code global_defs}, {@code vrrp_instance}, ...) are read, their braces checked, and reported once as a warning.
 * Any error stops the read with a {@link ConfigException} naming file, line, column, what was expected and what was
 * found; no partial model is ever returned.
 * <p>
 * jlvs extensions, inside a {@code virtual_server} block:
 * <ul>
 *   <li>{@code jlvs_match VIP[:PORT] ...}: the addresses a {@code fwmark} service serves. keepalived leaves the
 *   matching to iptables MARK rules, which jlvs cannot see; no port means every port.</li>
 *   <li>{@code jlvs_exclude_source_mac MAC ...}: frames from these MACs (the peer director's) are never scheduled,
 *   only delivered locally, which ends master/backup ping-pong when the directors are also real servers.</li>
 * </ul>
 */
public final class KeepalivedConfig
{
    /** Top-level sections of keepalived that jlvs reads past; the text says what the operator loses. */
    private static final Map<String, String> SECTIONS_NOT_IMPLEMENTED = sectionsNotImplemented();

    private KeepalivedConfig()
    {
    }

    /** Reads {@code file} and every file it includes (patterns relative to the including file's directory). */
    public static DirectorConfig parse(final Path file) throws ConfigException
    {
        final Diagnostics diagnostics = new Diagnostics();
        final List<Token> tokens = new SourceReader(diagnostics).readFile(file);
        return interpret(tokens, diagnostics, file.toString());
    }

    /**
     * Reads configuration text; {@code fileName} names it in messages, and its directory is where relative
     * {@code include} patterns start.
     */
    public static DirectorConfig parse(final String text, final String fileName) throws ConfigException
    {
        final Diagnostics diagnostics = new Diagnostics();
        Path path;
        try
        {
            path = Path.of(fileName);
        }
        catch (final InvalidPathException ex)
        {
            path = Path.of("");
        }
        final List<Token> tokens = new SourceReader(diagnostics).readText(text, path, fileName);
        return interpret(tokens, diagnostics, fileName);
    }

    private static DirectorConfig interpret(
        final List<Token> tokens, final Diagnostics diagnostics, final String fileName) throws ConfigException
    {
        final List<Statement> statements = StatementReader.read(tokens);
        final Map<String, ServerGroup> groups = new LinkedHashMap<>();
        final List<ServiceDraft> drafts = new ArrayList<>();
        final VirtualServerReader services = new VirtualServerReader(diagnostics);
        for (final Statement statement : statements)
        {
            VirtualServerReader.rejectAdvancedSyntax(statement);
            final String keyword = statement.name();
            if (keyword.equals("virtual_server"))
            {
                drafts.add(services.read(statement));
            }
            else if (keyword.equals("virtual_server_group"))
            {
                final ServerGroup group = ServerGroup.read(statement, diagnostics);
                final ServerGroup earlier = groups.putIfAbsent(group.name, group);
                if (earlier != null)
                {
                    final Token first = earlier.statement.keyword;
                    throw statement.values.get(0).error("expected each virtual_server_group name once, found '" +
                        group.name + "' again (first at " + first.file() + ':' + first.line + ':' + first.column +
                        ")");
                }
            }
            else if (SECTIONS_NOT_IMPLEMENTED.containsKey(keyword))
            {
                diagnostics.sectionIgnored(statement.keyword, SECTIONS_NOT_IMPLEMENTED.get(keyword));
            }
            else
            {
                diagnostics.warn(statement.keyword, "unknown keyword '" + keyword + "' is ignored");
            }
        }
        final List<VirtualServiceConfig> built = new ModelBuilder(diagnostics, groups).build(drafts);
        final List<ConfigWarning> warnings = new ArrayList<>(diagnostics.warnings());
        if (built.isEmpty())
        {
            warnings.add(new ConfigWarning(fileName, 1, 1, "no virtual_server is defined: jlvs has nothing to " +
                "balance"));
        }
        return new DirectorConfig(built, warnings);
    }

    private static Map<String, String> sectionsNotImplemented()
    {
        final Map<String, String> sections = new LinkedHashMap<>();
        final String vrrp = "; jlvs does not run VRRP, so this director takes no part in failover";
        for (final String keyword : Set.of("vrrp_instance", "vrrp_sync_group", "vrrp_script", "vrrp_track_process",
            "vrrp_track_file", "track_file", "garp_group"))
        {
            sections.put(keyword, vrrp);
        }
        final String staticConfig = "; jlvs configures no addresses, routes or rules";
        for (final String keyword : Set.of("static_ipaddress", "static_routes", "static_rules"))
        {
            sections.put(keyword, staticConfig);
        }
        sections.put("SSL", "; SSL_GET checks use the default TLS settings");
        for (final String keyword : Set.of("global_defs", "static_track_group", "linkbeat_interfaces",
            "interface_up_down_delays", "bfd_instance", "net_namespace", "net_namespace_ipvs",
            "namespace_with_ipsets", "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time"))
        {
            sections.put(keyword, "");
        }
        return Map.copyOf(sections);
    }
}
