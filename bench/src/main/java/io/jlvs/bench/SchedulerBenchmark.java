package io.jlvs.bench;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.Scheduler;
import io.jlvs.scheduler.SchedulerFlags;
import io.jlvs.scheduler.Schedulers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link Scheduler#select} of every scheduler in the registry, by IPVS name, over 8 real servers with unequal
 * weights and connection counts, for a new connection from one of 4096 clients to one of 256 virtual addresses (so
 * that the hashing and locality schedulers see many keys). Select does not change the counts (the connection
 * table does), so the least-connection schedulers make the same choice each time, as in a short burst of SYNs.
 * Baseline: picking from the server array by a cursor, the least any scheduler can do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SchedulerBenchmark
{
    private static final int[] WEIGHTS = {5, 3, 8, 1, 4, 7, 2, 6};
    /** Below each weight, so that {@code ovf} has servers to choose from. */
    private static final int[] ACTIVE_CONNS = {2, 1, 4, 0, 3, 5, 1, 2};
    private static final int[] INACTIVE_CONNS = {10, 4, 20, 1, 9, 15, 6, 12};
    private static final int SERVER_MASK = 7;
    private static final int CLIENTS = 4096;
    private static final int CLIENT_MASK = CLIENTS - 1;
    private static final int VIRTUAL_ADDRESSES = 256;
    private static final int VIRTUAL_ADDRESS_MASK = VIRTUAL_ADDRESSES - 1;
    /** The virtual addresses: 198.18.128.0/24, apart from clients and servers. */
    private static final int VIRTUAL_NET = FrameBuilder.address("198.18.128.0");
    private static final int PROTOCOL_TCP = 6;
    private static final long INPUT_SEED = 0x5C4EDL;
    /** The names in {@link Named#scheduler}'s {@code @Param} (an annotation needs literals, so they are repeated). */
    private static final String[] MEASURED =
        {"rr", "wrr", "lc", "wlc", "sed", "nq", "lblc", "lblcr", "dh", "sh", "mh", "fo", "ovf", "twos"};

    /** The 8 servers and the client/virtual-address inputs, the same for every scheduler. */
    @State(Scope.Thread)
    public static class Inputs
    {
        final RealServer[] servers = new RealServer[WEIGHTS.length];
        final int[] clientAddrs = new int[CLIENTS];
        final int[] clientPorts = new int[CLIENTS];
        final int[] vaddrs = new int[CLIENTS];
        int next;

        @Setup(Level.Trial)
        public void prepare()
        {
            for (int i = 0; i < servers.length; i++)
            {
                servers[i] = new RealServer(i, BenchDirector.FIRST_SERVER + i, BenchDirector.VIRTUAL_PORT, WEIGHTS[i]);
                servers[i].addActiveConns(ACTIVE_CONNS[i]);
                servers[i].addInactiveConns(INACTIVE_CONNS[i]);
            }
            final SplittableRandom random = new SplittableRandom(INPUT_SEED);
            for (int i = 0; i < CLIENTS; i++)
            {
                clientAddrs[i] = FlowFrames.CLIENT_NET + random.nextInt(FlowFrames.PORTS_PER_CLIENT);
                clientPorts[i] = FlowFrames.FIRST_PORT + random.nextInt(FlowFrames.PORTS_PER_CLIENT);
                vaddrs[i] = VIRTUAL_NET + (i & VIRTUAL_ADDRESS_MASK);
            }
        }

        int advance()
        {
            final int i = next;
            next = (next + 1) & CLIENT_MASK;
            return i;
        }
    }

    /** The named scheduler over the inputs' servers. */
    @State(Scope.Thread)
    public static class Named extends Inputs
    {
        @Param({"rr", "wrr", "lc", "wlc", "sed", "nq", "lblc", "lblcr", "dh", "sh", "mh", "fo", "ovf", "twos"})
        String scheduler;

        Scheduler instance;

        @Setup(Level.Trial)
        public void create()
        {
            instance = Schedulers.create(scheduler, servers, SchedulerFlags.NONE);
            final int i = advance();
            if (instance.select(PROTOCOL_TCP, clientAddrs[i], clientPorts[i], vaddrs[i], BenchDirector.VIRTUAL_PORT) ==
                null)
            {
                throw new IllegalStateException(scheduler + " selected no server");
            }
            // A new scheduler in the registry should be measured too: say so rather than skip it silently.
            for (final String name : Schedulers.names())
            {
                if (!isMeasured(name))
                {
                    System.err.println("scheduler '" + name + "' is registered but not in SchedulerBenchmark's @Param");
                }
            }
        }

        private static boolean isMeasured(final String name)
        {
            for (final String measured : MEASURED)
            {
                if (measured.equals(name))
                {
                    return true;
                }
            }
            return false;
        }
    }

    @Benchmark
    public void select(final Named state, final Blackhole bh)
    {
        final int i = state.advance();
        bh.consume(state.instance.select(PROTOCOL_TCP, state.clientAddrs[i], state.clientPorts[i], state.vaddrs[i],
            BenchDirector.VIRTUAL_PORT));
    }

    @Benchmark
    public void baselineArrayCursor(final Inputs state, final Blackhole bh)
    {
        bh.consume(state.servers[state.advance() & SERVER_MASK]);
    }
}
