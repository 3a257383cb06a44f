package io.jlvs.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@code real_server} block as written; null means "inherit from the virtual server". */
final class RealServerDraft
{
    final Statement statement;
    final Map<String, Token> seen = new HashMap<>();
    final int address;
    final int port;

    Integer weight;
    ForwardingMethod method;
    int upperThreshold;
    int lowerThreshold;
    Boolean inhibitOnFailure;
    Boolean alpha;
    Integer retry;
    Long delayBeforeRetryMs;
    Long warmupMs;
    Long delayLoopMs;
    Long connectTimeoutMs;
    String virtualHost;
    String notifyUp;
    String notifyDown;
    final List<CheckDraft> checks = new ArrayList<>();

    RealServerDraft(final Statement statement, final int address, final int port)
    {
        this.statement = statement;
        this.address = address;
        this.port = port;
    }
}
