package io.jlvs.scheduler;

/** Test fixtures: real servers named A, B, C ... by id, and pick sequences written as those letters. */
final class Servers
{
    static final int TCP = 6;
    static final int CLIENT = Ipv4.parse("198.18.100.1");
    static final int CLIENT_PORT = 40000;
    static final int VIP = Ipv4.parse("198.18.0.100");
    static final int VPORT = 80;
    /** A pick that found no server. */
    static final char NONE = '-';

    private Servers()
    {
    }

    private static final int FIRST_SERVER = Ipv4.parse("198.18.1.1");

    /** Servers A, B, C ... (ids 0, 1, 2 ...) with these weights, addresses 198.18.1.1, .2, ... port 80. */
    static RealServer[] withWeights(final int... weights)
    {
        final RealServer[] servers = new RealServer[weights.length];
        for (int i = 0; i < weights.length; i++)
        {
            servers[i] = new RealServer(i, FIRST_SERVER + i, VPORT, weights[i]);
        }
        return servers;
    }

    static char letter(final RealServer server)
    {
        return server == null ? NONE : (char)('A' + server.id());
    }

    /** The letters of {@code count} picks for one client, counting nothing. */
    static String picks(final Scheduler scheduler, final int count)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.append(letter(scheduler.select(TCP, CLIENT, CLIENT_PORT + i, VIP, VPORT)));
        }
        return sb.toString();
    }

    /** The letters of {@code count} picks, each pick opening an active connection on the server picked. */
    static String picksCountingActive(final Scheduler scheduler, final int count)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            final RealServer server = scheduler.select(TCP, CLIENT, CLIENT_PORT + i, VIP, VPORT);
            if (server != null)
            {
                server.addActiveConns(1);
            }
            sb.append(letter(server));
        }
        return sb.toString();
    }
}
