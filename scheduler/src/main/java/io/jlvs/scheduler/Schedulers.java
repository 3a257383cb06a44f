package io.jlvs.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of schedulers by IPVS name; control plane only. */
public final class Schedulers
{
    /** IPVS's default when a service names none. */
    public static final String DEFAULT = "wlc";

    private static final Map<String, SchedulerFactory> FACTORIES = new TreeMap<>();

    static
    {
        // Built-ins are registered explicitly so that the shaded binary needs no service file to find them.
        register(new RoundRobinScheduler.Factory());
        register(new WeightedRoundRobinScheduler.Factory());
        register(new LeastConnectionScheduler.Factory());
        register(new WeightedLeastConnectionScheduler.Factory());
        register(new ShortestExpectedDelayScheduler.Factory());
        register(new NeverQueueScheduler.Factory());
        register(new LocalityBasedLeastConnectionScheduler.Factory());
        register(new LocalityBasedLeastConnectionReplicationScheduler.Factory());
        register(new DestinationHashingScheduler.Factory());
        register(new SourceHashingScheduler.Factory());
        register(new MaglevHashingScheduler.Factory());
        register(new WeightedFailoverScheduler.Factory());
        register(new OverflowConnectionScheduler.Factory());
        register(new PowerOfTwoChoicesScheduler.Factory());
        // A researcher's scheduler on the class path, listed in META-INF/services/io.jlvs.scheduler.SchedulerFactory.
        for (final SchedulerFactory factory : ServiceLoader.load(SchedulerFactory.class))
        {
            register(factory);
        }
    }

    private Schedulers()
    {
    }

    /** Adds or replaces the factory under its {@link SchedulerFactory#name()}. */
    public static synchronized void register(final SchedulerFactory factory)
    {
        FACTORIES.put(factory.name(), factory);
    }

    public static synchronized boolean exists(final String name)
    {
        return FACTORIES.containsKey(name);
    }

    /** The registered names, sorted. */
    public static synchronized Iterable<String> names()
    {
        return new ArrayList<>(FACTORIES.keySet());
    }

    /** Builds the named scheduler; throws {@link IllegalArgumentException} naming the known ones if unknown. */
    public static Scheduler create(final String name, final RealServer[] servers, final SchedulerFlags flags)
    {
        return factory(name).create(servers, flags == null ? SchedulerFlags.NONE : flags);
    }

    /**
     * Builds the named scheduler to replace {@code previous} after a weight or server-set change, keeping the
     * state IPVS keeps (see {@link SchedulerFactory#create(RealServer[], SchedulerFlags, Scheduler)}).
     */
    public static Scheduler create(
        final String name, final RealServer[] servers, final SchedulerFlags flags, final Scheduler previous)
    {
        return factory(name).create(servers, flags == null ? SchedulerFlags.NONE : flags, previous);
    }

    private static SchedulerFactory factory(final String name)
    {
        final SchedulerFactory factory;
        final List<String> known;
        synchronized (Schedulers.class)
        {
            factory = FACTORIES.get(name);
            known = factory == null ? new ArrayList<>(FACTORIES.keySet()) : null;
        }
        if (factory == null)
        {
            throw new IllegalArgumentException("unknown scheduler '" + name + "', known: " + known);
        }
        return factory;
    }
}
