package io.jlvs.healthcheck;

import io.jlvs.config.TcpCheck;

import java.io.IOException;
import java.net.SocketTimeoutException;

/** keepalived's {@code TCP_CHECK}: the attempt passes when a TCP connection completes within the connect timeout. */
public final class TcpChecker implements Checker
{
    private final TcpCheck config;

    public TcpChecker(final TcpCheck config)
    {
        this.config = config;
    }

    @Override
    public CheckOutcome check()
    {
        try
        {
            // Connected is all TCP_CHECK asks; the connection is closed at once, as keepalived does.
            Endpoints.connect(config.connection()).close();
            return CheckOutcome.pass();
        }
        catch (final SocketTimeoutException ex)
        {
            return CheckOutcome.fail("TCP connection to " + Endpoints.describe(config.connection()) + " timed out");
        }
        catch (final IOException ex)
        {
            return CheckOutcome.fail("TCP connection to " + Endpoints.describe(config.connection()) + " failed: " +
                ex.getMessage());
        }
    }

    @Override
    public String toString()
    {
        return "TCP_CHECK " + Endpoints.describe(config.connection());
    }
}
