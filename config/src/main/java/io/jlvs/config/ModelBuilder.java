package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the drafts into the immutable model: applies keepalived's defaults and inheritance (virtual server, then
 * real server, then checker), maps scheduler flags, and validates across the whole file (each VIP:port once per
 * protocol, each fwmark once, each real server once per service) so that nothing half-valid is returned.
 */
final class ModelBuilder
{
    /** keepalived's {@code KEEPALIVED_DEFAULT_DELAY}: checks every 60 s unless told otherwise. */
    static final long DEFAULT_DELAY_LOOP_MS = 60_000;
    /** keepalived's default {@code connect_timeout}: 5 s. */
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    /** keepalived's default {@code delay_before_retry} for HTTP_GET and SSL_GET: 3 s. */
    static final long DEFAULT_HTTP_DELAY_BEFORE_RETRY_MS = 3_000;
    /** keepalived's default {@code delay_before_retry} for the other checkers: 1 s. */
    static final long DEFAULT_DELAY_BEFORE_RETRY_MS = 1_000;
    /** keepalived's default {@code retry}: one more attempt after a failure (MISC_CHECK: none). */
    static final int DEFAULT_RETRY = 1;
    static final int DEFAULT_MISC_RETRY = 0;
    /** keepalived's default HTTP version for HTTP_GET/SSL_GET. */
    static final String DEFAULT_HTTP_PROTOCOL = "1.0";
    /** keepalived's default accepted status codes: 200-299. */
    static final StatusCodeRange DEFAULT_STATUS_CODES = new StatusCodeRange(200, 299);
    /** {@code persistence_granularity} unset: one template per client address. */
    static final int HOST_NETMASK = 0xFFFF_FFFF;
    static final int DEFAULT_WEIGHT = 1;
    static final int DEFAULT_QUORUM = 1;
    private static final int PORT_BITS = 16;
    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private final Diagnostics diagnostics;
    private final Map<String, ServerGroup> groups;
    private final Map<String, Token> firstServiceAt = new HashMap<>();

    ModelBuilder(final Diagnostics diagnostics, final Map<String, ServerGroup> groups)
    {
        this.diagnostics = diagnostics;
        this.groups = groups;
    }

    List<VirtualServiceConfig> build(final List<ServiceDraft> drafts) throws ConfigException
    {
        final List<VirtualServiceConfig> services = new ArrayList<>();
        for (final ServiceDraft draft : drafts)
        {
            final VirtualServiceConfig service = build(draft);
            if (service != null)
            {
                services.add(service);
            }
        }
        return services;
    }

    private VirtualServiceConfig build(final ServiceDraft draft) throws ConfigException
    {
        final String title = draft.title();
        final List<VirtualAddress> addresses = new ArrayList<>();
        final boolean matchesByMark = addresses(draft, title, addresses);
        // Overlapping group ranges name some VIP:port twice; one entry each is what the dataplane needs.
        final List<VirtualAddress> distinctAddresses = new ArrayList<>(new LinkedHashSet<>(addresses));
        if (draft.realServers.isEmpty())
        {
            // keepalived drops such a service before looking at anything else, so jlvs neither errs nor warns more.
            diagnostics.warn(draft.at(), title + " has no real_server and is ignored, as keepalived does");
            return null;
        }
        final Protocol protocol = protocol(draft, title, matchesByMark);
        final ForwardingMethod method = method(draft, title);
        final String scheduler = draft.scheduler != null ? draft.scheduler : Schedulers.DEFAULT;
        final boolean onePacket = draft.flagTokens.stream().anyMatch(token -> token.text.equals("ops"));
        final String schedulerFlags = schedulerFlags(draft, scheduler, protocol);

        int persistence = draft.persistenceTimeoutSeconds != null ? draft.persistenceTimeoutSeconds : 0;
        if (persistence == 0 && draft.persistenceNetmask != null)
        {
            // keepalived: a granularity makes the service persistent with the default timeout.
            persistence = VirtualServerReader.DEFAULT_PERSISTENCE_TIMEOUT_SECONDS;
        }
        if (persistence == 0 && hasPortZeroAddress(draft))
        {
            diagnostics.warn(draft.at(), title + " serves every port (port 0), which IPVS allows only for " +
                "persistent services: persistence_timeout " + VirtualServerReader.DEFAULT_PERSISTENCE_TIMEOUT_SECONDS +
                " is used, as keepalived does");
            persistence = VirtualServerReader.DEFAULT_PERSISTENCE_TIMEOUT_SECONDS;
        }

        checkDuplicateService(draft, distinctAddresses, protocol);

        final int servicePort = singlePort(distinctAddresses);
        final List<RealServerConfig> realServers = new ArrayList<>();
        final Map<Long, Token> endpoints = new HashMap<>();
        long totalWeight = 0;
        for (final RealServerDraft server : draft.realServers)
        {
            final Token earlier = endpoints.putIfAbsent(endpointKey(server.address, server.port),
                server.statement.keyword);
            if (earlier != null)
            {
                throw server.statement.keyword.error("expected each real_server once per virtual_server, found " +
                    Ipv4.toString(server.address) + ':' + server.port + " again (first at " + position(earlier) + ")");
            }
            final RealServerConfig config = realServer(draft, server, method, servicePort, distinctAddresses);
            totalWeight += config.weight();
            realServers.add(config);
        }

        final int quorum = quorum(draft, totalWeight);
        final long delayLoopMs = draft.delayLoopMs != null ? draft.delayLoopMs : DEFAULT_DELAY_LOOP_MS;
        final Token at = draft.at();
        return new VirtualServiceConfig(
            at.file(),
            at.line,
            protocol,
            distinctAddresses,
            draft.fwmark,
            draft.groupName,
            scheduler,
            schedulerFlags,
            method,
            persistence,
            draft.persistenceNetmask != null ? draft.persistenceNetmask : HOST_NETMASK,
            (int)((delayLoopMs + Values.MILLIS_PER_SECOND - 1) / Values.MILLIS_PER_SECOND),
            sorryServer(draft, method),
            draft.inhibitOnFailure,
            quorum,
            draft.hysteresis != null ? draft.hysteresis : 0,
            draft.alpha,
            draft.omega,
            realServers,
            draft.excludedSourceMacs,
            onePacket && protocol == Protocol.UDP,
            draft.quorumUp,
            draft.quorumDown);
    }

    /**
     * Fills {@code into} with the service's VIP:port pairs; true when some of them come from {@code jlvs_match}
     * standing in for firewall marks.
     */
    private boolean addresses(final ServiceDraft draft, final String title, final List<VirtualAddress> into)
        throws ConfigException
    {
        final String needMatch = "expected jlvs_match VIP:PORT ... in " + title + ", found none: jlvs does not see " +
            "netfilter marks, so list the addresses your iptables MARK rules select";
        if (draft.fwmark != null)
        {
            if (draft.matches.isEmpty())
            {
                throw draft.at().error(needMatch);
            }
            into.addAll(draft.matches);
            return true;
        }
        if (draft.groupName != null)
        {
            final ServerGroup group = groups.get(draft.groupName);
            if (group == null)
            {
                throw draft.groupToken.error("expected the name of a virtual_server_group, found " +
                    draft.groupToken.quotedText() + " (no such group)");
            }
            if (group.addresses.isEmpty() && group.fwmarks.isEmpty())
            {
                throw draft.groupToken.error("expected addresses or fwmark entries in virtual_server_group " +
                    group.name + ", found none");
            }
            into.addAll(group.addresses);
            if (!group.fwmarks.isEmpty())
            {
                if (draft.matches.isEmpty())
                {
                    throw draft.at().error(needMatch.replace(", found none:", ", found none (the group has fwmark " +
                        group.fwmarks.get(0) + "):"));
                }
                into.addAll(draft.matches);
                return true;
            }
        }
        else
        {
            into.add(new VirtualAddress(draft.address, draft.port));
        }
        if (draft.matchToken != null)
        {
            throw draft.matchToken.error("expected jlvs_match only in a fwmark service (virtual_server fwmark N, or " +
                "a group with fwmark entries), found it in " + title);
        }
        return false;
    }

    private boolean hasPortZeroAddress(final ServiceDraft draft)
    {
        if (draft.fwmark != null)
        {
            return false;
        }
        if (draft.groupName != null)
        {
            return groups.get(draft.groupName).hasPortZero;
        }
        return draft.port == 0;
    }

    private Protocol protocol(final ServiceDraft draft, final String title, final boolean matchesByMark)
    {
        if (draft.protocol != null)
        {
            return draft.protocol;
        }
        if (matchesByMark)
        {
            diagnostics.warn(draft.at(), title + " sets no protocol; jlvs matches TCP for it: add 'protocol UDP' " +
                "for a UDP service");
            return Protocol.TCP;
        }
        diagnostics.warn(draft.at(), title + " sets no protocol; keepalived then uses UDP and so does jlvs: add " +
            "'protocol TCP' for a TCP service");
        return Protocol.UDP;
    }

    private ForwardingMethod method(final ServiceDraft draft, final String title) throws ConfigException
    {
        if (draft.method != null)
        {
            return draft.method;
        }
        boolean everyServerHasOne = !draft.realServers.isEmpty() &&
            (draft.sorryServer == null || draft.sorryMethod != null);
        for (final RealServerDraft server : draft.realServers)
        {
            everyServerHasOne &= server.method != null;
        }
        if (!everyServerHasOne)
        {
            throw draft.at().error("expected lb_kind DR or lb_kind TUN in " + title + ", found none (keepalived " +
                "would use NAT, which jlvs does not support)");
        }
        return draft.realServers.get(0).method;
    }

    /**
     * IPVS's scheduler flags by the scheduler that reads them: {@code flag-1} is sh's and mh's fallback,
     * {@code flag-2} their port hashing; a flag for another scheduler is ignored with a warning, as keepalived does.
     */
    private String schedulerFlags(final ServiceDraft draft, final String scheduler, final Protocol protocol)
    {
        final Set<String> flags = new LinkedHashSet<>();
        final boolean hashing = scheduler.equals("sh") || scheduler.equals("mh");
        for (final Token token : draft.flagTokens)
        {
            switch (token.text)
            {
                case "ops" ->
                {
                    if (protocol != Protocol.UDP)
                    {
                        diagnostics.warn(token, "'ops' (one-packet scheduling) applies to UDP services only and " +
                            "is ignored");
                    }
                }
                case "hashed" -> diagnostics.warn(token, "'hashed' has no effect in jlvs and is ignored");
                case "flag-1", "flag-2" ->
                {
                    if (hashing)
                    {
                        flags.add(scheduler + (token.text.equals("flag-1") ? "-fallback" : "-port"));
                    }
                    else
                    {
                        diagnostics.warn(token, "'" + token.text + "' has no meaning for scheduler " + scheduler +
                            " and is ignored");
                    }
                }
                case "flag-3" -> diagnostics.warn(token, "'flag-3' has no meaning for scheduler " + scheduler +
                    " and is ignored");
                default ->
                {
                    final String owner = token.text.startsWith("sh-") ? "sh" : "mh";
                    if (owner.equals(scheduler))
                    {
                        flags.add(token.text);
                    }
                    else
                    {
                        diagnostics.warn(token, "'" + token.text + "' applies to the " + owner +
                            " scheduler only and is ignored");
                    }
                }
            }
        }
        return String.join(",", flags);
    }

    private void checkDuplicateService(
        final ServiceDraft draft, final List<VirtualAddress> addresses, final Protocol protocol)
        throws ConfigException
    {
        if (draft.fwmark != null)
        {
            final Token earlier = firstServiceAt.putIfAbsent("fwmark " + draft.fwmark, draft.at());
            if (earlier != null)
            {
                throw draft.at().error("expected each fwmark once, found fwmark " + draft.fwmark + " again (first " +
                    "at " + position(earlier) + ")");
            }
        }
        for (final VirtualAddress address : addresses)
        {
            final String key = address + " " + protocol;
            final Token earlier = firstServiceAt.putIfAbsent(key, draft.at());
            if (earlier != null)
            {
                throw draft.at().error("expected each VIP:port once per protocol, found " + key + " again (first " +
                    "at " + position(earlier) + ")");
            }
        }
    }

    private RealServerConfig realServer(
        final ServiceDraft service, final RealServerDraft server, final ForwardingMethod serviceMethod,
        final int servicePort, final List<VirtualAddress> addresses) throws ConfigException
    {
        final ForwardingMethod method = server.method != null ? server.method : serviceMethod;
        final Token at = server.statement.keyword;
        final String endpoint = Ipv4.toString(server.address) + ':' + server.port;
        if (server.upperThreshold > 0 && server.lowerThreshold > server.upperThreshold)
        {
            final Token lower = server.seen.get("lthreshold");
            throw lower.error("expected lthreshold no larger than uthreshold " + server.upperThreshold +
                ", found " + server.lowerThreshold);
        }
        if (server.port != 0 && servicePort != 0 && server.port != servicePort)
        {
            diagnostics.warn(at, "real_server " + endpoint + ": " + method + " does not change ports, so it " +
                "receives the clients' port " + servicePort + ", not " + server.port);
        }
        final List<HealthCheckConfig> checks = new ArrayList<>();
        for (final CheckDraft check : server.checks)
        {
            checks.add(check(service, server, check, servicePort, method, addresses));
        }
        return new RealServerConfig(
            at.file(),
            at.line,
            server.address,
            server.port,
            server.weight != null ? server.weight : service.weight != null ? service.weight : DEFAULT_WEIGHT,
            server.upperThreshold,
            server.lowerThreshold,
            method,
            checks,
            server.notifyUp,
            server.notifyDown,
            server.inhibitOnFailure != null ? server.inhibitOnFailure : service.inhibitOnFailure);
    }

    private RealServerConfig sorryServer(final ServiceDraft draft, final ForwardingMethod serviceMethod)
    {
        if (draft.sorryServer == null)
        {
            final Token inhibit = draft.seen.get("sorry_server_inhibit");
            if (inhibit != null)
            {
                diagnostics.warn(inhibit, "'sorry_server_inhibit' without a sorry_server is ignored");
            }
            return null;
        }
        final Token at = draft.sorryServer.keyword;
        return new RealServerConfig(at.file(), at.line, draft.sorryAddress, draft.sorryPort, DEFAULT_WEIGHT, 0, 0,
            draft.sorryMethod != null ? draft.sorryMethod : serviceMethod, List.of(), null, null, draft.sorryInhibit);
    }

    private int quorum(final ServiceDraft draft, final long totalWeight)
    {
        if (draft.quorum == null)
        {
            return DEFAULT_QUORUM;
        }
        final Token at = draft.seen.get("quorum");
        if (draft.quorum < DEFAULT_QUORUM)
        {
            diagnostics.warn(at, "quorum 0 is below keepalived's minimum of 1; 1 is used");
            return DEFAULT_QUORUM;
        }
        if (draft.quorum > totalWeight)
        {
            diagnostics.warn(at, "quorum " + draft.quorum + " is above the total weight " + totalWeight +
                " of the real servers, so the quorum is never reached");
        }
        return draft.quorum;
    }

    private HealthCheckConfig check(
        final ServiceDraft service, final RealServerDraft server, final CheckDraft check, final int servicePort,
        final ForwardingMethod method, final List<VirtualAddress> addresses) throws ConfigException
    {
        final Token at = check.statement.keyword;
        final String type = check.type();
        final boolean http = type.equals("HTTP_GET") || type.equals("SSL_GET");
        final boolean misc = type.equals("MISC_CHECK");
        final long delayLoopMs = first(check.delayLoopMs, server.delayLoopMs, service.delayLoopMs,
            DEFAULT_DELAY_LOOP_MS);
        final CheckTiming timing = new CheckTiming(
            (int)first(toLong(check.retry), toLong(server.retry), toLong(service.retry),
                misc ? DEFAULT_MISC_RETRY : DEFAULT_RETRY),
            first(check.delayBeforeRetryMs, server.delayBeforeRetryMs, service.delayBeforeRetryMs,
                http ? DEFAULT_HTTP_DELAY_BEFORE_RETRY_MS : DEFAULT_DELAY_BEFORE_RETRY_MS),
            delayLoopMs,
            first(check.warmupMs, server.warmupMs, service.warmupMs, delayLoopMs),
            check.alpha != null ? check.alpha : server.alpha != null ? server.alpha : service.alpha);
        if (misc)
        {
            if (check.miscPath == null)
            {
                throw at.error("expected misc_path in this MISC_CHECK, found none");
            }
            final long timeoutMs = check.miscTimeoutMs != null ? check.miscTimeoutMs :
                service.delayLoopMs != null ? service.delayLoopMs : DEFAULT_DELAY_LOOP_MS;
            return new MiscCheck(at.file(), at.line, timing, check.miscPath, splitCommand(check.miscPath), timeoutMs,
                check.miscDynamic, check.user);
        }
        final long connectTimeoutMs = first(check.connectTimeoutMs, server.connectTimeoutMs,
            service.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
        if (type.equals(CheckerReader.PATH_CHECK))
        {
            return new PathCheck(at.file(), at.line, server.address, method,
                pathTargets(check, server, addresses), connectTimeoutMs, timing);
        }
        final int connectPort = check.connectPort != null ? check.connectPort :
            server.port != 0 ? server.port : servicePort;
        if (connectPort == 0)
        {
            throw at.error("expected connect_port in this " + type + ", found none (real_server " +
                Ipv4.toString(server.address) + " has no port and the service has no single port)");
        }
        final CheckConnection connection = new CheckConnection(
            check.connectIp != null ? check.connectIp : server.address,
            connectPort,
            check.bindTo != null ? check.bindTo : 0,
            check.bindPort != null ? check.bindPort : 0,
            connectTimeoutMs);
        if (!http)
        {
            return new TcpCheck(at.file(), at.line, connection, timing);
        }
        if (check.urls.isEmpty())
        {
            throw at.error("expected a url { path ... } in this " + type + ", found none");
        }
        final List<UrlCheck> urls = new ArrayList<>();
        for (final CheckDraft.Url url : check.urls)
        {
            if (url.path == null)
            {
                throw url.statement.keyword.error("expected path in this url block, found none");
            }
            final String virtualHost = url.virtualHost != null ? url.virtualHost :
                check.virtualHost != null ? check.virtualHost :
                server.virtualHost != null ? server.virtualHost : service.virtualHost;
            urls.add(new UrlCheck(url.path, url.statusCodes.isEmpty() ? List.of(DEFAULT_STATUS_CODES) :
                url.statusCodes, url.digest, virtualHost));
        }
        return new HttpGetCheck(at.file(), at.line, type.equals("SSL_GET"), connection, timing, urls,
            check.httpProtocol != null ? check.httpProtocol : DEFAULT_HTTP_PROTOCOL, check.enableSni);
    }

    /**
     * Where a PATH_CHECK sends its SYNs: each distinct VIP of the service once (proving the server holds the VIP is
     * the point; the port only has to be one clients use), at {@code connect_port}, else that VIP's first port, else
     * the real server's port.
     */
    private List<VirtualAddress> pathTargets(
        final CheckDraft check, final RealServerDraft server, final List<VirtualAddress> addresses)
        throws ConfigException
    {
        final Map<Integer, VirtualAddress> byVip = new LinkedHashMap<>();
        for (final VirtualAddress address : addresses)
        {
            if (byVip.containsKey(address.address()))
            {
                continue;
            }
            final int port = check.connectPort != null ? check.connectPort :
                address.port() != 0 ? address.port() : server.port;
            if (port == 0)
            {
                throw check.statement.keyword.error("expected connect_port in this PATH_CHECK, found none (the " +
                    "service serves every port of " + Ipv4.toString(address.address()) + " and real_server " +
                    Ipv4.toString(server.address) + " has no port)");
            }
            byVip.put(address.address(), new VirtualAddress(address.address(), port));
        }
        final List<VirtualAddress> targets = new ArrayList<>(byVip.values());
        if (targets.size() > PathCheck.MAX_TARGETS)
        {
            diagnostics.warn(check.statement.keyword, "PATH_CHECK probes the first " + PathCheck.MAX_TARGETS +
                " of the service's " + targets.size() + " VIPs only");
            return targets.subList(0, PathCheck.MAX_TARGETS);
        }
        return targets;
    }

    /** The port every address shares, or 0 when they differ (or all are port 0). */
    private static int singlePort(final List<VirtualAddress> addresses)
    {
        final int port = addresses.get(0).port();
        for (final VirtualAddress address : addresses)
        {
            if (address.port() != port)
            {
                return 0;
            }
        }
        return port;
    }

    /**
     * Splits a {@code misc_path} into program and arguments as keepalived does: blanks separate, single quotes
     * keep blanks inside one argument.
     */
    static List<String> splitCommand(final String commandLine)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inQuote = false;
        boolean hasWord = false;
        for (int i = 0; i < commandLine.length(); i++)
        {
            final char c = commandLine.charAt(i);
            if (c == '\'')
            {
                inQuote = !inQuote;
                hasWord = true;
            }
            else if (!inQuote && (c == ' ' || c == '\t'))
            {
                if (hasWord)
                {
                    words.add(word.toString());
                    word.setLength(0);
                    hasWord = false;
                }
            }
            else
            {
                word.append(c);
                hasWord = true;
            }
        }
        if (hasWord)
        {
            words.add(word.toString());
        }
        return words;
    }

    private static long endpointKey(final int address, final int port)
    {
        return ((address & UNSIGNED_INT_MASK) << PORT_BITS) | port;
    }

    private static String position(final Token token)
    {
        return token.file() + ':' + token.line + ':' + token.column;
    }

    private static Long toLong(final Integer value)
    {
        return value == null ? null : value.longValue();
    }

    private static long first(final Long check, final Long server, final Long service, final long fallback)
    {
        return check != null ? check : server != null ? server : service != null ? service : fallback;
    }
}
