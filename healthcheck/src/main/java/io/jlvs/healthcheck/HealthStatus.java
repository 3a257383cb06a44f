package io.jlvs.healthcheck;

import io.jlvs.scheduler.Ipv4;

import java.util.List;

/** What the monitor currently believes, for listings and the control socket. */
public final class HealthStatus
{
    private HealthStatus()
    {
    }

    /**
     * One virtual service.
     *
     * @param name              keepalived's name for it ({@code 10.0.0.1:80 TCP}, {@code FWM 1}, {@code [group]}).
     * @param quorumUp          the live weight meets the quorum (with hysteresis).
     * @param sorryServerActive the sorry server stands in for the real servers.
     * @param servers           its real servers, in configuration order.
     */
    public record Service(String name, boolean quorumUp, boolean sorryServerActive, List<Server> servers)
    {
        public Service
        {
            servers = List.copyOf(servers);
        }
    }

    /**
     * One real server.
     *
     * @param address        IPv4, host byte order.
     * @param port           its port.
     * @param alive          every checker says up.
     * @param weight         its weight now: the configured one, or the last a dynamic MISC_CHECK set.
     * @param failedCheckers how many of its checkers say down.
     * @param checkers       how many checkers it has.
     */
    public record Server(int address, int port, boolean alive, int weight, int failedCheckers, int checkers)
    {
        @Override
        public String toString()
        {
            return Ipv4.toString(address) + ':' + port + (alive ? " up" : " down") + " weight " + weight;
        }
    }
}
