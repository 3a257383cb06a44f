package io.jlvs.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code virtual_server} block as written, before defaults and validation: null means "not set", so that the
 * builder can apply keepalived's inheritance (virtual server, then real server, then checker).
 */
final class ServiceDraft
{
    final Statement statement;
    final Map<String, Token> seen = new HashMap<>();

    Integer fwmark;
    String groupName;
    Token groupToken;
    int address;
    int port;

    String scheduler;
    final List<Token> flagTokens = new ArrayList<>();
    ForwardingMethod method;
    Integer persistenceTimeoutSeconds;
    Integer persistenceNetmask;
    Protocol protocol;

    Long delayLoopMs;
    Long connectTimeoutMs;
    Integer retry;
    Long delayBeforeRetryMs;
    Long warmupMs;
    Integer weight;
    String virtualHost;
    boolean inhibitOnFailure;
    boolean alpha;
    boolean omega;
    Integer quorum;
    Integer hysteresis;
    String quorumUp;
    String quorumDown;

    Statement sorryServer;
    int sorryAddress;
    int sorryPort;
    boolean sorryInhibit;
    ForwardingMethod sorryMethod;

    final List<RealServerDraft> realServers = new ArrayList<>();
    final List<VirtualAddress> matches = new ArrayList<>();
    Token matchToken;
    final List<Long> excludedSourceMacs = new ArrayList<>();

    ServiceDraft(final Statement statement)
    {
        this.statement = statement;
    }

    Token at()
    {
        return statement.keyword;
    }

    /** How the service reads in messages: the {@code virtual_server} line as written. */
    String title()
    {
        final StringBuilder title = new StringBuilder(statement.name());
        for (final Token value : statement.values)
        {
            title.append(' ').append(value.text);
        }
        return title.toString();
    }
}
