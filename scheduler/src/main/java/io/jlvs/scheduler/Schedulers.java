package io.jlvs.scheduler;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of schedulers by IPVS name. */
public final class Schedulers
{
    /** IPVS's default when a service names none. */
    public static final String DEFAULT = "wlc";

    private static final Map<String, SchedulerFactory> FACTORIES = new TreeMap<>();

    static
    {
        // Built-ins are registered explicitly so that the shaded binary needs no service file to find them.
        for (final SchedulerFactory factory : ServiceLoader.load(SchedulerFactory.class))
        {
            register(factory);
        }
    }

    private Schedulers()
    {
    }

    public static synchronized void register(final SchedulerFactory factory)
    {
        FACTORIES.put(factory.name(), factory);
    }

    public static synchronized boolean exists(final String name)
    {
        return FACTORIES.containsKey(name);
    }

    public static synchronized Iterable<String> names()
    {
        return new java.util.ArrayList<>(FACTORIES.keySet());
    }

    /** Builds the named scheduler; throws {@link IllegalArgumentException} naming the known ones if unknown. */
    public static Scheduler create(final String name, final RealServer[] servers, final SchedulerFlags flags)
    {
        final SchedulerFactory factory;
        synchronized (Schedulers.class)
        {
            factory = FACTORIES.get(name);
        }
        if (factory == null)
        {
            throw new IllegalArgumentException("unknown scheduler '" + name + "', known: " + names());
        }
        return factory.create(servers, flags == null ? SchedulerFlags.NONE : flags);
    }
}
