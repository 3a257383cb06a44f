package io.jlvs.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the checkers jlvs runs ({@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET}, {@code MISC_CHECK}, and jlvs'
 * {@code PATH_CHECK}) with keepalived's common keywords ({@code connect_ip}, {@code connect_port}, {@code bindto},
 * {@code connect_timeout}, {@code retry} alias {@code nb_get_retry}, {@code delay_before_retry}, {@code delay_loop},
 * {@code warmup}).
 */
final class CheckerReader
{
    static final String PATH_CHECK = "PATH_CHECK";
    static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", PATH_CHECK);

    /**
     * Keywords that would move a PATH_CHECK's probe away from the path client traffic takes (another target, another
     * source); refused rather than ignored, since the check would then prove something else than it says.
     */
    private static final Set<String> PATH_REFUSED = Set.of("connect_ip", "bindto", "bind_port", "bind_if", "fwmark");

    private static final Set<String> CHECKER_NOT_IMPLEMENTED = Set.of("bind_if", "fwmark", "log_all_failures");
    private static final Set<String> HTTP_NOT_IMPLEMENTED = Set.of("fast_recovery", "sni_name", "tls_compliant");
    private static final Set<String> URL_NOT_IMPLEMENTED = Set.of("regex", "regex_no_match", "regex_options",
        "regex_stack", "regex_min_offset", "regex_max_offset", "tls_compliant");
    private static final Set<String> HTTP_PROTOCOLS = Set.of("1.0", "1.0C", "1.1");
    private static final int MIN_STATUS_CODE = 100;
    private static final int MAX_STATUS_CODE = 599;
    private static final Pattern STATUS_RANGE = Pattern.compile("([0-9]{3})(?:-([0-9]{3}))?");
    /** genhash prints an MD5: 16 bytes as 32 hexadecimal digits. */
    private static final Pattern MD5_HEX = Pattern.compile("[0-9A-Fa-f]{32}");

    private final Diagnostics diagnostics;

    CheckerReader(final Diagnostics diagnostics)
    {
        this.diagnostics = diagnostics;
    }

    CheckDraft read(final Statement statement) throws ConfigException
    {
        Values.noMore(statement, 0, diagnostics);
        final CheckDraft draft = new CheckDraft(statement);
        if (!statement.hasBlock())
        {
            return draft;
        }
        final boolean path = statement.name().equals(PATH_CHECK);
        final boolean http = !path && !statement.name().equals("MISC_CHECK") && !statement.name().equals("TCP_CHECK");
        final boolean misc = statement.name().equals("MISC_CHECK");
        for (final Statement child : statement.block)
        {
            VirtualServerReader.rejectAdvancedSyntax(child);
            if (path && PATH_REFUSED.contains(child.name()))
            {
                throw child.keyword.error("expected connect_port, connect_timeout, retry, nb_get_retry, " +
                    "delay_before_retry, delay_loop, warmup or alpha in PATH_CHECK, found '" + child.name() +
                    "' (its probe always goes from the director's own address to the VIPs, through this real server)");
            }
            if (!common(draft, child, misc) && !(http && http(draft, child)) && !(misc && misc(draft, child)))
            {
                diagnostics.warn(child.keyword, "unknown keyword '" + child.name() + "' in " + statement.name() +
                    " is ignored");
            }
            else if (!child.name().equals("url"))
            {
                Values.noBlock(child);
            }
        }
        return draft;
    }

    /** The keywords every checker has; the connection ones only for checkers that connect. */
    private boolean common(final CheckDraft draft, final Statement statement, final boolean misc)
        throws ConfigException
    {
        final String keyword = statement.name();
        if (!misc)
        {
            switch (keyword)
            {
                case "connect_ip" -> draft.connectIp = address(statement);
                case "connect_port" -> draft.connectPort = port(statement);
                case "bindto" -> draft.bindTo = address(statement);
                case "bind_port" -> draft.bindPort = port(statement);
                case "connect_timeout" -> draft.connectTimeoutMs = timer(statement, "a connect timeout");
                default ->
                {
                    if (!CHECKER_NOT_IMPLEMENTED.contains(keyword))
                    {
                        return timing(draft, statement);
                    }
                    diagnostics.warn(statement.keyword, "'" + keyword + "' is not implemented by jlvs and is ignored");
                }
            }
            return true;
        }
        return timing(draft, statement);
    }

    private boolean timing(final CheckDraft draft, final Statement statement) throws ConfigException
    {
        switch (statement.name())
        {
            case "retry", "nb_get_retry" ->
            {
                draft.retry = Values.integer(Values.required(statement, 0, "a retry count"), 0, Integer.MAX_VALUE,
                    "a retry count 0..2147483647");
                Values.noMore(statement, 1, diagnostics);
            }
            case "delay_before_retry" -> draft.delayBeforeRetryMs = timer(statement, "a delay before retry");
            case "warmup" -> draft.warmupMs = timer(statement, "a warmup delay");
            case "delay_loop" -> draft.delayLoopMs = timer(statement, "a delay loop");
            case "alpha" -> draft.alpha = Values.optionalBool(statement, diagnostics);
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private boolean http(final CheckDraft draft, final Statement statement) throws ConfigException
    {
        final String keyword = statement.name();
        if (HTTP_NOT_IMPLEMENTED.contains(keyword))
        {
            diagnostics.warn(statement.keyword, "'" + keyword + "' is not implemented by jlvs and is ignored");
            return true;
        }
        switch (keyword)
        {
            case "url" -> draft.urls.add(url(statement));
            case "virtualhost" -> draft.virtualHost = text(statement, "a virtual host name");
            case "enable_sni" -> draft.enableSni = Values.optionalBool(statement, diagnostics);
            case "http_protocol" ->
            {
                final Token protocol = Values.required(statement, 0, "1.0, 1.0C or 1.1");
                Values.noMore(statement, 1, diagnostics);
                final String normalized = protocol.text.toUpperCase(Locale.ROOT);
                if (!HTTP_PROTOCOLS.contains(normalized))
                {
                    throw protocol.error("expected 1.0, 1.0C or 1.1, found " + protocol.quotedText());
                }
                draft.httpProtocol = normalized;
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private CheckDraft.Url url(final Statement statement) throws ConfigException
    {
        Values.noMore(statement, 0, diagnostics);
        final CheckDraft.Url url = new CheckDraft.Url(statement);
        if (!statement.hasBlock())
        {
            throw statement.keyword.errorAfter("expected '{' to open the url block, found end of line");
        }
        for (final Statement child : statement.block)
        {
            final String keyword = child.name();
            if (URL_NOT_IMPLEMENTED.contains(keyword))
            {
                diagnostics.warn(child.keyword, "'" + keyword + "' is not implemented by jlvs and is ignored");
                continue;
            }
            switch (keyword)
            {
                case "path" -> url.path = text(child, "a path such as /health");
                case "digest" -> url.digest = digest(child);
                case "virtualhost" -> url.virtualHost = text(child, "a virtual host name");
                case "status_code" ->
                {
                    Values.required(child, 0, "a status code or range such as 200-299");
                    for (final Token value : child.values)
                    {
                        url.statusCodes.add(statusCodes(value));
                    }
                }
                default ->
                {
                    diagnostics.warn(child.keyword, "unknown keyword '" + keyword + "' in url is ignored");
                    continue;
                }
            }
            Values.noBlock(child);
        }
        return url;
    }

    private static StatusCodeRange statusCodes(final Token token) throws ConfigException
    {
        final Matcher matcher = STATUS_RANGE.matcher(Values.text(token).text);
        if (matcher.matches())
        {
            final int from = Integer.parseInt(matcher.group(1));
            final int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
            if (from >= MIN_STATUS_CODE && to <= MAX_STATUS_CODE && from <= to)
            {
                return new StatusCodeRange(from, to);
            }
        }
        throw token.error("expected an HTTP status code 100..599 or a range such as 200-299, found " +
            token.quotedText());
    }

    private String digest(final Statement statement) throws ConfigException
    {
        final Token digest = Values.required(statement, 0, "an MD5 digest");
        Values.noMore(statement, 1, diagnostics);
        if (!MD5_HEX.matcher(digest.text).matches())
        {
            throw digest.error("expected an MD5 digest of 32 hexadecimal digits (as genhash prints it), found " +
                digest.quotedText());
        }
        return digest.text.toLowerCase(Locale.ROOT);
    }

    private boolean misc(final CheckDraft draft, final Statement statement) throws ConfigException
    {
        switch (statement.name())
        {
            case "misc_path" ->
            {
                Values.required(statement, 0, "a program to run");
                final StringBuilder path = new StringBuilder();
                for (final Token value : statement.values)
                {
                    path.append(path.length() == 0 ? "" : " ").append(Values.text(value).text);
                }
                draft.miscPath = path.toString();
            }
            case "misc_timeout" -> draft.miscTimeoutMs = timer(statement, "a script timeout");
            case "misc_dynamic" -> draft.miscDynamic = Values.optionalBool(statement, diagnostics);
            case "user" -> draft.user = Values.required(statement, 0, "a user name").text;
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private int address(final Statement statement) throws ConfigException
    {
        final int address = Values.ipv4(Values.required(statement, 0, "an IPv4 address"));
        Values.noMore(statement, 1, diagnostics);
        return address;
    }

    private int port(final Statement statement) throws ConfigException
    {
        final int port = Values.port(Values.required(statement, 0, "a port 0..65535"));
        Values.noMore(statement, 1, diagnostics);
        return port;
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
}
