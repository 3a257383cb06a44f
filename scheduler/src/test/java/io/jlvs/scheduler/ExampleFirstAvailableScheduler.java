package io.jlvs.scheduler;

/**
 * A researcher's scheduler in one class, loaded by name through
 * {@code src/test/resources/META-INF/services/io.jlvs.scheduler.SchedulerFactory}: every connection goes to the
 * first server that can take it.
 */
public final class ExampleFirstAvailableScheduler implements Scheduler
{
    public static final String NAME = "example-first";

    private final RealServer[] servers;

    public ExampleFirstAvailableScheduler(final RealServer[] servers)
    {
        this.servers = servers;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public RealServer select(
        final int protocol, final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        for (final RealServer server : servers)
        {
            if (server.isAvailable() && server.weight() > 0 && !server.isOverloaded())
            {
                return server;
            }
        }
        return null;
    }

    /** Found by {@link java.util.ServiceLoader}: public, with a public no-argument constructor. */
    public static final class Factory implements SchedulerFactory
    {
        @Override
        public String name()
        {
            return NAME;
        }

        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            return new ExampleFirstAvailableScheduler(servers);
        }
    }
}
