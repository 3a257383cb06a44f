package io.jlvs.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A checker block ({@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET}, {@code MISC_CHECK}) as written. */
final class CheckDraft
{
    /** One {@code url { }} of an HTTP checker. */
    static final class Url
    {
        final Statement statement;
        String path;
        final List<StatusCodeRange> statusCodes = new ArrayList<>();
        String digest;
        String virtualHost;

        Url(final Statement statement)
        {
            this.statement = statement;
        }
    }

    final Statement statement;
    final Map<String, Token> seen = new HashMap<>();

    Integer connectIp;
    Integer connectPort;
    Integer bindTo;
    Integer bindPort;
    Long connectTimeoutMs;
    Integer retry;
    Long delayBeforeRetryMs;
    Long warmupMs;
    Long delayLoopMs;
    Boolean alpha;

    String virtualHost;
    String httpProtocol;
    boolean enableSni;
    final List<Url> urls = new ArrayList<>();

    String miscPath;
    Long miscTimeoutMs;
    boolean miscDynamic;
    String user;

    CheckDraft(final Statement statement)
    {
        this.statement = statement;
    }

    String type()
    {
        return statement.name();
    }
}
