package io.jlvs.config;

import io.jlvs.scheduler.Schedulers;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code virtual_server} block and its {@code real_server} blocks into drafts, checking each value as it is
 * read. keepalived's synonyms are accepted ({@code lb_algo}/{@code lvs_sched}, {@code lb_kind}/{@code lvs_method},
 * {@code retry}/{@code nb_get_retry}); keywords jlvs does not act on give a warning naming where they are.
 */
final class VirtualServerReader
{
    /** IPVS's persistence when {@code persistence_timeout} has no value: 6 minutes (keepalived, ipvsadm). */
    static final int DEFAULT_PERSISTENCE_TIMEOUT_SECONDS = 360;

    private static final String SCHEDULER_FLAG_KEYWORDS =
        "hashed ops flag-1 flag-2 flag-3 sh-port sh-fallback mh-port mh-fallback";
    private static final Set<String> SCHEDULER_FLAGS = Set.of(SCHEDULER_FLAG_KEYWORDS.split(" "));
    /** Keywords of keepalived's virtual_server that change nothing jlvs does. */
    private static final Set<String> SERVICE_NOT_IMPLEMENTED =
        Set.of("nat_mask", "ha_suspend", "smtp_alert", "snmp_name", "persistence_engine");
    private static final Set<String> REAL_SERVER_NOT_IMPLEMENTED = Set.of("smtp_alert", "snmp_name");
    /** keepalived checkers jlvs does not run: a server with only these is never taken down by a check. */
    private static final Set<String> CHECKERS_NOT_IMPLEMENTED =
        Set.of("SMTP_CHECK", "DNS_CHECK", "BFD_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK");
    /** Synonyms share one "set twice" slot. */
    private static final Map<String, String> CANONICAL = Map.of(
        "lvs_sched", "lb_algo",
        "lvs_method", "lb_kind",
        "nb_get_retry", "retry");
    private static final int MAX_FWMARK = Integer.MAX_VALUE;
    private static final String ANY_COUNT = "0..2147483647";

    private final Diagnostics diagnostics;
    private final CheckerReader checkers;

    VirtualServerReader(final Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
        this.checkers = new CheckerReader(diagnostics);
    }

    ServiceDraft read(final Statement statement) throws ConfigException
    {
        final ServiceDraft draft = new ServiceDraft(statement);
        final Token first = Values.required(statement, 0, "an IPv4 address, 'fwmark N' or 'group NAME'");
        if (first.text.equals("fwmark"))
        {
            final String what = "a firewall mark 1.." + MAX_FWMARK;
            draft.fwmark = Values.integer(Values.required(statement, 1, what), 1, MAX_FWMARK, what);
        }
        else if (first.text.equals("group"))
        {
            draft.groupToken = Values.required(statement, 1, "the name of a virtual_server_group");
            draft.groupName = draft.groupToken.text;
        }
        else
        {
            draft.address = Values.ipv4(first);
            draft.port = statement.values.size() > 1 ? Values.port(statement.values.get(1)) : 0;
        }
        Values.noMore(statement, 2, diagnostics);
        if (!statement.hasBlock())
        {
            throw statement.lastOnLine().errorAfter("expected '{' to open the virtual_server block, found end of line");
        }
        for (final Statement child : statement.block)
        {
            serviceKeyword(draft, child);
        }
        return draft;
    }

    private void serviceKeyword(final ServiceDraft draft, final Statement statement) throws ConfigException
    {
        final String keyword = statement.name();
        rejectAdvancedSyntax(statement);
        if (SCHEDULER_FLAGS.contains(keyword))
        {
            Values.noBlock(statement);
            Values.noMore(statement, 0, diagnostics);
            draft.flagTokens.add(statement.keyword);
            return;
        }
        if (SERVICE_NOT_IMPLEMENTED.contains(keyword))
        {
            notImplemented(statement);
            return;
        }
        switch (keyword)
        {
            case "real_server":
                draft.realServers.add(readRealServer(statement));
                return;
            case "jlvs_match":
                Values.noBlock(statement);
                Values.required(statement, 0, "VIP:PORT");
                draft.matchToken = draft.matchToken == null ? statement.keyword : draft.matchToken;
                for (final Token value : statement.values)
                {
                    draft.matches.addAll(AddressRanges.match(value));
                }
                return;
            case "jlvs_exclude_source_mac":
                Values.noBlock(statement);
                Values.required(statement, 0, "a MAC address");
                for (final Token value : statement.values)
                {
                    draft.excludedSourceMacs.add(Values.mac(value));
                }
                return;
            default:
                break;
        }
        switch (keyword)
        {
            case "delay_loop" -> draft.delayLoopMs = timer(statement, "a delay loop");
            case "lb_algo", "lvs_sched" -> draft.scheduler = scheduler(statement);
            case "lb_kind", "lvs_method" -> draft.method = method(statement);
            case "persistence_timeout" -> draft.persistenceTimeoutSeconds = statement.values.isEmpty() ?
                DEFAULT_PERSISTENCE_TIMEOUT_SECONDS : integer(statement, "a persistence timeout in seconds");
            case "persistence_granularity" -> draft.persistenceNetmask = netmask(statement);
            case "protocol" -> draft.protocol = protocol(statement);
            case "ip_family" -> ipFamily(statement);
            case "virtualhost" -> draft.virtualHost = text(statement, "a virtual host name");
            case "alpha" -> draft.alpha = Values.optionalBool(statement, diagnostics);
            case "omega" -> draft.omega = Values.optionalBool(statement, diagnostics);
            case "inhibit_on_failure" -> draft.inhibitOnFailure = Values.optionalBool(statement, diagnostics);
            case "quorum" -> draft.quorum = integer(statement, "a quorum (total weight) " + ANY_COUNT);
            case "hysteresis" -> draft.hysteresis = integer(statement, "a hysteresis (weight) " + ANY_COUNT);
            case "quorum_up" -> draft.quorumUp = script(statement);
            case "quorum_down" -> draft.quorumDown = script(statement);
            case "weight" -> draft.weight = weight(statement);
            case "connect_timeout" -> draft.connectTimeoutMs = timer(statement, "a connect timeout");
            case "retry", "nb_get_retry" -> draft.retry = integer(statement, "a retry count " + ANY_COUNT);
            case "delay_before_retry" -> draft.delayBeforeRetryMs = timer(statement, "a delay before retry");
            case "warmup" -> draft.warmupMs = timer(statement, "a warmup delay");
            case "sorry_server" -> sorryServer(draft, statement);
            case "sorry_server_inhibit" -> draft.sorryInhibit = Values.optionalBool(statement, diagnostics);
            case "sorry_server_lvs_method" -> draft.sorryMethod = method(statement);
            default ->
            {
                unknown(statement, "virtual_server");
                return;
            }
        }
        Values.noBlock(statement);
        once(draft.seen, statement);
    }

    private RealServerDraft readRealServer(final Statement statement) throws ConfigException
    {
        final int address = Values.ipv4(Values.required(statement, 0, "an IPv4 address"));
        final int port = statement.values.size() > 1 ? Values.port(statement.values.get(1)) : 0;
        Values.noMore(statement, 2, diagnostics);
        final RealServerDraft draft = new RealServerDraft(statement, address, port);
        if (!statement.hasBlock())
        {
            return draft;
        }
        for (final Statement child : statement.block)
        {
            realServerKeyword(draft, child);
        }
        return draft;
    }

    private void realServerKeyword(final RealServerDraft draft, final Statement statement) throws ConfigException
    {
        final String keyword = statement.name();
        rejectAdvancedSyntax(statement);
        if (CheckerReader.CHECKERS.contains(keyword))
        {
            draft.checks.add(checkers.read(statement));
            return;
        }
        if (CHECKERS_NOT_IMPLEMENTED.contains(keyword))
        {
            diagnostics.warn(statement.keyword, "'" + keyword + "' is not implemented by jlvs and is ignored; " +
                "it takes no real server down");
            return;
        }
        if (REAL_SERVER_NOT_IMPLEMENTED.contains(keyword))
        {
            notImplemented(statement);
            return;
        }
        switch (keyword)
        {
            case "weight" -> draft.weight = weight(statement);
            case "lvs_method" -> draft.method = method(statement);
            case "uthreshold" -> draft.upperThreshold = integer(statement, "a connection count " + ANY_COUNT);
            case "lthreshold" -> draft.lowerThreshold = integer(statement, "a connection count " + ANY_COUNT);
            case "inhibit_on_failure" -> draft.inhibitOnFailure = Values.optionalBool(statement, diagnostics);
            case "alpha" -> draft.alpha = Values.optionalBool(statement, diagnostics);
            case "notify_up" -> draft.notifyUp = script(statement);
            case "notify_down" -> draft.notifyDown = script(statement);
            case "virtualhost" -> draft.virtualHost = text(statement, "a virtual host name");
            case "retry", "nb_get_retry" -> draft.retry = integer(statement, "a retry count " + ANY_COUNT);
            case "delay_before_retry" -> draft.delayBeforeRetryMs = timer(statement, "a delay before retry");
            case "warmup" -> draft.warmupMs = timer(statement, "a warmup delay");
            case "delay_loop" -> draft.delayLoopMs = timer(statement, "a delay loop");
            case "connect_timeout" -> draft.connectTimeoutMs = timer(statement, "a connect timeout");
            default ->
            {
                unknown(statement, "real_server");
                return;
            }
        }
        Values.noBlock(statement);
        once(draft.seen, statement);
    }

    private void sorryServer(final ServiceDraft draft, final Statement statement) throws ConfigException
    {
        draft.sorryServer = statement;
        draft.sorryAddress = Values.ipv4(Values.required(statement, 0, "an IPv4 address"));
        draft.sorryPort = statement.values.size() > 1 ? Values.port(statement.values.get(1)) : 0;
        Values.noMore(statement, 2, diagnostics);
    }

    private String scheduler(final Statement statement) throws ConfigException
    {
        final Token name = Values.required(statement, 0, "a scheduler name");
        Values.noMore(statement, 1, diagnostics);
        if (!Schedulers.exists(name.text))
        {
            throw name.error("expected a scheduler (one of " + String.join(", ", Schedulers.names()) + "), found " +
                name.quotedText());
        }
        return name.text;
    }

    /** {@code DR}, or {@code TUN} with an optional {@code type ipip}; NAT and the other tunnel types are refused. */
    static ForwardingMethod method(final Statement statement, final Diagnostics diagnostics) throws ConfigException
    {
        final Token method = Values.required(statement, 0, "DR or TUN");
        switch (method.text.toUpperCase(Locale.ROOT))
        {
            case "DR":
                Values.noMore(statement, 1, diagnostics);
                return ForwardingMethod.DR;
            case "TUN":
                if (statement.values.size() > 1 && statement.values.get(1).text.equals("type"))
                {
                    final Token type = Values.required(statement, 2, "a tunnel type");
                    if (!type.text.equals("ipip"))
                    {
                        throw type.error("expected tunnel type ipip (jlvs tunnels IP in IP only), found " +
                            type.quotedText());
                    }
                    Values.noMore(statement, 3, diagnostics);
                }
                else
                {
                    Values.noMore(statement, 1, diagnostics);
                }
                return ForwardingMethod.TUN;
            case "NAT":
                throw method.error(statement.name() + " NAT is not supported by jlvs (DR and TUN only)");
            default:
                throw method.error("expected DR or TUN, found " + method.quotedText());
        }
    }

    private ForwardingMethod method(final Statement statement) throws ConfigException
    {
        return method(statement, diagnostics);
    }

    private Protocol protocol(final Statement statement) throws ConfigException
    {
        final Token protocol = Values.required(statement, 0, "TCP or UDP");
        Values.noMore(statement, 1, diagnostics);
        switch (protocol.text.toUpperCase(Locale.ROOT))
        {
            case "TCP": return Protocol.TCP;
            case "UDP": return Protocol.UDP;
            case "SCTP": throw protocol.error("protocol SCTP is not supported by jlvs (TCP and UDP only)");
            default: throw protocol.error("expected TCP or UDP, found " + protocol.quotedText());
        }
    }

    private void ipFamily(final Statement statement) throws ConfigException
    {
        final Token family = Values.required(statement, 0, "inet");
        Values.noMore(statement, 1, diagnostics);
        if (!family.text.equals("inet"))
        {
            throw family.error("expected inet (jlvs does not support IPv6), found " + family.quotedText());
        }
    }

    /** A netmask whose one bits are contiguous from the top, as IPVS's {@code -M} requires. */
    private int netmask(final Statement statement) throws ConfigException
    {
        final Token token = Values.required(statement, 0, "a netmask such as 255.255.255.0");
        Values.noMore(statement, 1, diagnostics);
        final int mask;
        try
        {
            mask = Values.ipv4(token);
        }
        catch (final ConfigException ex)
        {
            throw token.error("expected a netmask such as 255.255.255.0, found " + token.quotedText());
        }
        final int inverted = ~mask;
        if ((inverted & (inverted + 1)) != 0)
        {
            throw token.error("expected a contiguous netmask such as 255.255.255.0, found " + token.quotedText());
        }
        return mask;
    }

    private int weight(final Statement statement) throws ConfigException
    {
        final int weight = Values.integer(Values.required(statement, 0, "a weight 0..65535"), 0, Values.MAX_WEIGHT,
            "a weight 0..65535");
        Values.noMore(statement, 1, diagnostics);
        return weight;
    }

    private int integer(final Statement statement, final String what) throws ConfigException
    {
        final int value = Values.integer(Values.required(statement, 0, what), 0, Integer.MAX_VALUE, what);
        Values.noMore(statement, 1, diagnostics);
        return value;
    }

    private long timer(final Statement statement, final String what) throws ConfigException
    {
        final long ms = Values.timerMs(Values.required(statement, 0, what), what);
        Values.noMore(statement, 1, diagnostics);
        return ms;
    }

    private String text(final Statement statement, final String what) throws ConfigException
    {
        final String text = Values.required(statement, 0, what).text;
        Values.noMore(statement, 1, diagnostics);
        return text;
    }

    /**
     * A notify script: {@code SCRIPT [username [:][groupname]]}; the script (quoted when it has arguments) is kept,
     * the user is keepalived's business (jlvs runs scripts as itself).
     */
    private static String script(final Statement statement) throws ConfigException
    {
        return Values.required(statement, 0, "a script").text;
    }

    private void once(final Map<String, Token> seen, final Statement statement)
    {
        final String key = CANONICAL.getOrDefault(statement.name(), statement.name());
        final Token earlier = seen.put(key, statement.keyword);
        if (earlier != null)
        {
            diagnostics.warn(statement.keyword, "'" + statement.name() + "' is set again; this value replaces the " +
                "one at " + earlier.file() + ':' + earlier.line + ':' + earlier.column);
        }
    }

    private void notImplemented(final Statement statement)
    {
        diagnostics.warn(statement.keyword, "'" + statement.name() + "' is not implemented by jlvs and is ignored");
    }

    private void unknown(final Statement statement, final String where)
    {
        diagnostics.warn(statement.keyword, "unknown keyword '" + statement.name() + "' in " + where +
            " is ignored");
    }

    /**
     * keepalived's conditional lines ({@code @id keyword ...}) and parameter definitions ({@code $NAME=value}) need
     * a config id and substitution that jlvs does not do; ignoring them would start a different configuration.
     */
    static void rejectAdvancedSyntax(final Statement statement) throws ConfigException
    {
        final String keyword = statement.name();
        if (keyword.startsWith("@"))
        {
            throw statement.keyword.error("expected a keyword, found conditional configuration " +
                statement.keyword.quotedText() + " (not supported by jlvs: keep only this director's lines)");
        }
        if (keyword.startsWith("$"))
        {
            throw statement.keyword.error("expected a keyword, found parameter " + statement.keyword.quotedText() +
                " (parameter substitution is not supported by jlvs)");
        }
    }
}
