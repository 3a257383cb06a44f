package io.jlvs.bench;

import io.jlvs.conntrack.ConnectionListener;
import io.jlvs.conntrack.ConnectionTable;
import io.jlvs.conntrack.IpProtocol;
import io.jlvs.conntrack.TcpFlags;
import io.jlvs.conntrack.Timeouts;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * The connection table alone ({@link ConnectionTable}) at {@code entries} connections (1 and 10 million):
 * <ul>
 * <li>{@code lookup}: an established connection, in a shuffled order so that each lookup misses the caches as real
 *     traffic over millions of flows does.</li>
 * <li>{@code insertWithExpiry}: a new connection into a table kept at {@code entries} by expiry: the clock moves so
 *     that one connection (TCP, 3 s before its first packet) expires per insert, and {@code expire} runs every
 *     {@link #EXPIRE_EVERY} inserts as the forwarding thread's ticks do; the score includes that amortised expiry.</li>
 * </ul>
 * Baselines: {@code java.util.HashMap<Long, Long>} with the same keys, a get (keys boxed in advance, so it
 * allocates nothing) and a put of a new key plus a remove of the oldest (which allocates a key and a node).
 * <p>
 * Memory: the table takes 64 bytes per entry plus about 36 bytes of key index per entry of capacity, all off-heap
 * and on transparent huge pages when the kernel allows (10 M entries: 640 MiB + 339 MiB; the insert table has 1/8
 * more room); the HashMap about 56 bytes per entry on the heap (10 M: ~600 MiB). The forks get a 4 GiB heap, which
 * also bounds direct memory (the huge-page mappings are outside it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ConnectionTableBenchmark
{
    /** Inserts between expiry turns. */
    static final int EXPIRE_EVERY = 16;
    /** Enough to expire the {@link #EXPIRE_EVERY} connections due per turn, and catch up after a wheel tick. */
    private static final int EXPIRY_BUDGET = 64;
    /** Flow numbers wrap here: more than the live connections, so a key is never inserted while still present. */
    private static final int FLOW_SPACE = 1 << 24;
    /** Fixed, so that every run hashes the same keys into the same buckets. */
    private static final long HASH_SEED = 0x6A6C_7673_6265_6E63L;
    private static final int SERVER_ID = 0;
    private static final long PORT_BITS = 16;
    /** The insert table's headroom over {@code entries}: expiry is up to a wheel tick late. */
    private static final int HEADROOM_DIVISOR = 8;

    /** How many connections the table (or map) holds. */
    @State(Scope.Thread)
    public static class Sized
    {
        @Param({"1000000", "10000000"})
        int entries;
    }

    /** {@code entries} established connections and a shuffled order to look them up in. */
    @State(Scope.Thread)
    public static class Lookup extends Sized
    {
        ConnectionTable table;
        int[] order;
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            table = new ConnectionTable(entries, Timeouts.ipvsDefaults(), ConnectionListener.NO_OP, HASH_SEED);
            for (int flow = 0; flow < entries; flow++)
            {
                final int handle = table.insert(IpProtocol.TCP, FlowFrames.clientAddress(flow),
                    FlowFrames.clientPort(flow), BenchDirector.VIP, BenchDirector.VIRTUAL_PORT, SERVER_ID,
                    ConnectionTable.NO_ENTRY, BenchDirector.START_NS);
                table.onPacket(handle, TcpFlags.SYN, BenchDirector.START_NS);
                table.onPacket(handle, TcpFlags.ACK, BenchDirector.START_NS);
            }
            order = BenchDirector.shuffled(entries);
            if (table.size() != entries || lookup(this) == ConnectionTable.NO_ENTRY)
            {
                throw new IllegalStateException("table not filled: size=" + table.size());
            }
        }
    }

    /** A table kept at {@code entries} connections by expiry while new ones come in. */
    @State(Scope.Thread)
    public static class Insert extends Sized
    {
        ConnectionTable table;
        long stepNs;
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            table = new ConnectionTable(entries + entries / HEADROOM_DIVISOR, Timeouts.ipvsDefaults(),
                ConnectionListener.NO_OP, HASH_SEED);
            stepNs = ConnectionTable.NEW_CONNECTION_TIMEOUT_NS / entries;
            for (next = 0; next < entries; next++)
            {
                insert(this);
            }
        }

        @TearDown(Level.Trial)
        public void check()
        {
            if (table.refusedFull() != 0 || table.shedHalfOpen() != 0 || table.expiredTotal() == 0)
            {
                throw new IllegalStateException("the table did not stay in steady state: size=" + table.size() +
                    ", refused=" + table.refusedFull() + ", shed=" + table.shedHalfOpen() + ", expired=" +
                    table.expiredTotal());
            }
        }
    }

    /** The same established keys in a HashMap, and the same shuffled order as boxed keys. */
    @State(Scope.Thread)
    public static class MapLookup extends Sized
    {
        HashMap<Long, Long> map;
        Long[] keys;
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            map = new HashMap<>(capacityFor(entries));
            final Long[] byFlow = new Long[entries];
            for (int flow = 0; flow < entries; flow++)
            {
                byFlow[flow] = key(flow);
                map.put(byFlow[flow], (long)SERVER_ID);
            }
            final int[] order = BenchDirector.shuffled(entries);
            keys = new Long[entries];
            for (int i = 0; i < entries; i++)
            {
                keys[i] = byFlow[order[i]];
            }
        }
    }

    /** A HashMap kept at {@code entries} keys: one new in, the oldest out. */
    @State(Scope.Thread)
    public static class MapInsert extends Sized
    {
        HashMap<Long, Long> map;
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            map = new HashMap<>(capacityFor(entries));
            for (next = 0; next < entries; next++)
            {
                map.put(key(next), (long)SERVER_ID);
            }
        }
    }

    private static int capacityFor(final int entries)
    {
        // HashMap's default load factor is 3/4: size it so that filling never resizes.
        return entries / 3 * 4 + 1;
    }

    private static long key(final int flow)
    {
        final int f = flow & (FLOW_SPACE - 1);
        return ((long)FlowFrames.clientAddress(f) << PORT_BITS) | FlowFrames.clientPort(f);
    }

    private static int lookup(final Lookup state)
    {
        final int flow = state.order[state.next];
        return state.table.lookup(IpProtocol.TCP, FlowFrames.clientAddress(flow), FlowFrames.clientPort(flow),
            BenchDirector.VIP, BenchDirector.VIRTUAL_PORT);
    }

    /** Inserts flow {@code state.next} at its time on the steady-state clock. */
    private static int insert(final Insert state)
    {
        final int flow = state.next & (FLOW_SPACE - 1);
        final long nowNs = BenchDirector.START_NS + state.next * state.stepNs;
        return state.table.insert(IpProtocol.TCP, FlowFrames.clientAddress(flow), FlowFrames.clientPort(flow),
            BenchDirector.VIP, BenchDirector.VIRTUAL_PORT, SERVER_ID, ConnectionTable.NO_ENTRY, nowNs);
    }

    @Benchmark
    public void lookup(final Lookup state, final Blackhole bh)
    {
        bh.consume(lookup(state));
        state.next = state.next + 1 == state.entries ? 0 : state.next + 1;
    }

    @Benchmark
    public void insertWithExpiry(final Insert state, final Blackhole bh)
    {
        bh.consume(insert(state));
        state.next++;
        if ((state.next & (EXPIRE_EVERY - 1)) == 0)
        {
            bh.consume(state.table.expire(BenchDirector.START_NS + state.next * state.stepNs, EXPIRY_BUDGET));
        }
    }

    @Benchmark
    public void baselineHashMapGet(final MapLookup state, final Blackhole bh)
    {
        bh.consume(state.map.get(state.keys[state.next]));
        state.next = state.next + 1 == state.entries ? 0 : state.next + 1;
    }

    @Benchmark
    public void baselineHashMapPutAndRemove(final MapInsert state, final Blackhole bh)
    {
        bh.consume(state.map.put(key(state.next), (long)SERVER_ID));
        bh.consume(state.map.remove(key(state.next - state.entries)));
        state.next++;
    }
}
