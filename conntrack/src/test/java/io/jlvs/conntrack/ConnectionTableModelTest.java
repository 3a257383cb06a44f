package io.jlvs.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static io.jlvs.conntrack.ConnectionTable.NO_ENTRY;
import static io.jlvs.conntrack.ConnectionTableTcpTest.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random inserts, packets, removals, template operations and expiry, checked after every step against a model
 * built on java.util collections: lookups, states, expiries, counts per server, shedding and refusals.
 */
class ConnectionTableModelTest
{
    private static final int CAPACITY = 48;
    private static final int SERVERS = 4;
    private static final int STEPS = 20_000;
    private static final int PHASE_STEPS = 1_000;
    private static final int TICK_SHIFT = ExpiryWheel.TICK_SHIFT;
    private static final int[] FLAGS =
    {
        TcpFlags.SYN, TcpFlags.ACK, TcpFlags.FIN, TcpFlags.RST, TcpFlags.FIN | TcpFlags.ACK,
        TcpFlags.PSH | TcpFlags.ACK, TcpFlags.SYN | TcpFlags.ACK, 0
    };

    private record Key(boolean template, int protocol, int client, int clientPort, int vaddr, int vport)
    {
    }

    private static final class Entry
    {
        final Key key;
        final int handle;
        final int server;
        int state;
        long expiresAtNs;
        long timeoutNs;
        Entry template;
        int controlled;
        boolean hashed = true;
        boolean zombie;

        Entry(final Key key, final int handle, final int server)
        {
            this.key = key;
            this.handle = handle;
            this.server = server;
        }
    }

    private final Map<Key, Entry> hashed = new HashMap<>();
    private final Map<Integer, Entry> live = new HashMap<>();
    private final Set<Entry> zombies = new HashSet<>();
    private final LinkedHashSet<Integer> halfOpen = new LinkedHashSet<>();
    private final CountingListener counts = new CountingListener();
    private final Timeouts timeouts = Timeouts.ipvsDefaults().withTcp(200);
    private Random random;
    private ConnectionTable table;
    private long now;
    private long refused;
    private long shed;
    private long expired;
    private String context;

    @Test
    void agreesWithAMapModelOnRandomOperations()
    {
        final long seed = Long.getLong("jlvs.test.seed", System.nanoTime());
        System.out.println("ConnectionTableModelTest seed=" + seed + " (rerun with -Djlvs.test.seed=" + seed + ")");
        run(seed);
    }

    @Test
    void agreesWithAMapModelOnFixedSeeds()
    {
        for (final long seed : new long[] {1, 2, 3, 0xC0FFEE})
        {
            run(seed);
        }
    }

    private void run(final long seed)
    {
        hashed.clear();
        live.clear();
        zombies.clear();
        halfOpen.clear();
        counts.counts.clear();
        refused = 0;
        shed = 0;
        expired = 0;
        random = new Random(seed);
        now = -seconds(30) + random.nextInt(1_000_000);
        table = new ConnectionTable(CAPACITY, timeouts, counts, seed);
        for (int step = 0; step < STEPS; step++)
        {
            // Alternate calm phases (time flies, entries expire) and busy ones (time crawls, the table fills up).
            final boolean busy = (step / PHASE_STEPS) % 2 == 1;
            final int op = busy && random.nextInt(10) != 0 ? random.nextInt(77) : random.nextInt(100);
            context = "seed=" + seed + " step=" + step + " op=" + op;
            if (op < 30)
            {
                insertConnection();
            }
            else if (op < 38)
            {
                insertTemplate();
            }
            else if (op < 60)
            {
                packet();
            }
            else if (op < 68)
            {
                removeSome();
            }
            else if (op < 72)
            {
                touchTemplate();
            }
            else if (op < 74)
            {
                invalidateTemplate();
            }
            else if (op < 75)
            {
                removeServer();
            }
            else if (op < 77)
            {
                checkListing();
            }
            else
            {
                advanceAndExpire();
            }
            checkAll();
        }
        System.out.println("seed=" + seed + ": shed=" + shed + " refused=" + refused + " expired=" + expired +
            " live=" + live.size() + " zombies=" + zombies.size());
        assertTrue(shed > 0 && refused > 0 && expired > 0, "the run exercised shedding, refusal and expiry");
    }

    private Key connectionKey()
    {
        final int protocol = random.nextInt(4) == 0 ? IpProtocol.UDP : IpProtocol.TCP;
        return new Key(
            false, protocol, 0xC6120000 + random.nextInt(4), 40000 + random.nextInt(8), 0xC6120064 + random.nextInt(2),
            random.nextBoolean() ? 80 : 443);
    }

    private Key templateKey()
    {
        final int protocol = random.nextInt(4) == 0 ? IpProtocol.UDP : IpProtocol.TCP;
        return new Key(
            true, protocol, 0xC6120000 + (random.nextInt(3) << 8), 0, 0xC6120064 + random.nextInt(2),
            random.nextBoolean() ? 80 : 0);
    }

    private <T> T pick(final List<T> list)
    {
        return list.isEmpty() ? null : list.get(random.nextInt(list.size()));
    }

    private List<Entry> liveOf(final boolean templates)
    {
        final List<Entry> result = new ArrayList<>();
        for (final Entry e : live.values())
        {
            if (e.key.template == templates)
            {
                result.add(e);
            }
        }
        result.sort((a, b) -> Integer.compare(a.handle, b.handle));
        return result;
    }

    /** What a full table does before taking a new entry; false when it must refuse. */
    private boolean makeRoom()
    {
        if (live.size() + zombies.size() < CAPACITY)
        {
            return true;
        }
        if (halfOpen.isEmpty())
        {
            return false;
        }
        release(live.get(halfOpen.iterator().next()));
        shed++;
        return true;
    }

    private void insertConnection()
    {
        final Key key = connectionKey();
        if (hashed.containsKey(key))
        {
            assertEquals(hashed.get(key).handle, lookup(key), context);
            return;
        }
        assertEquals(NO_ENTRY, lookup(key), context);
        final List<Entry> templates = new ArrayList<>();
        for (final Entry e : liveOf(true))
        {
            if (e.hashed)
            {
                templates.add(e);
            }
        }
        final Entry template = random.nextBoolean() ? pick(templates) : null;
        final int server = template != null ? template.server : random.nextInt(SERVERS);
        final boolean room = makeRoom();
        final int handle = table.insert(
            key.protocol, key.client, key.clientPort, key.vaddr, key.vport, server,
            template == null ? NO_ENTRY : template.handle, now);
        if (!room)
        {
            assertEquals(NO_ENTRY, handle, context);
            refused++;
            return;
        }
        assertNotEquals(NO_ENTRY, handle, context);
        assertFalse(live.containsKey(handle), context);
        final Entry e = new Entry(key, handle, server);
        final boolean tcp = key.protocol == IpProtocol.TCP;
        e.state = tcp ? ConnectionState.NONE : ConnectionState.UDP;
        e.expiresAtNs = now + (tcp ? ConnectionTable.NEW_CONNECTION_TIMEOUT_NS : seconds(300));
        e.template = template;
        if (template != null)
        {
            template.controlled++;
        }
        hashed.put(key, e);
        live.put(handle, e);
    }

    private void insertTemplate()
    {
        final Key key = templateKey();
        if (hashed.containsKey(key))
        {
            assertEquals(hashed.get(key).handle, lookup(key), context);
            return;
        }
        final int server = random.nextInt(SERVERS);
        final long timeoutNs = seconds(1 + random.nextInt(600));
        final boolean room = makeRoom();
        final int handle = table.insertTemplate(key.protocol, key.client, key.vaddr, key.vport, server, timeoutNs, now);
        if (!room)
        {
            assertEquals(NO_ENTRY, handle, context);
            refused++;
            return;
        }
        assertNotEquals(NO_ENTRY, handle, context);
        final Entry e = new Entry(key, handle, server);
        e.state = key.protocol == IpProtocol.TCP ? ConnectionState.NONE : ConnectionState.UDP;
        e.timeoutNs = timeoutNs;
        e.expiresAtNs = now + timeoutNs;
        hashed.put(key, e);
        live.put(handle, e);
    }

    private static boolean isHalfOpen(final int state)
    {
        return state == ConnectionState.SYN_RECV || state == ConnectionState.SYNACK;
    }

    private void packet()
    {
        final Entry e = pick(liveOf(false));
        if (e == null)
        {
            return;
        }
        final int flags = FLAGS[random.nextInt(FLAGS.length)];
        if (e.key.protocol == IpProtocol.TCP)
        {
            final int next = TcpInputOnlyStates.next(e.state, flags);
            if (isHalfOpen(next) && !isHalfOpen(e.state))
            {
                halfOpen.add(e.handle);
            }
            else if (!isHalfOpen(next) && isHalfOpen(e.state))
            {
                halfOpen.remove(e.handle);
            }
            e.state = next;
        }
        e.expiresAtNs = now + timeouts.timeoutNs(e.key.protocol, e.state);
        assertEquals(e.state, table.onPacket(e.handle, flags, now), context);
        if (e.key.protocol == IpProtocol.TCP && e.template == null)
        {
            final boolean reusable = e.state == ConnectionState.TIME_WAIT || e.state == ConnectionState.CLOSE ||
                e.state == ConnectionState.FIN_WAIT;
            assertEquals(reusable, table.isReusable(e.handle), context);
        }
        else
        {
            assertFalse(table.isReusable(e.handle), context);
        }
    }

    private void removeSome()
    {
        final Entry e = pick(liveOf(random.nextInt(4) == 0));
        if (e != null)
        {
            release(e);
            table.remove(e.handle);
        }
    }

    private void touchTemplate()
    {
        final Entry t = pick(liveOf(true));
        if (t != null)
        {
            t.expiresAtNs = now + t.timeoutNs;
            table.touchTemplate(t.handle, now);
        }
    }

    private void invalidateTemplate()
    {
        final Entry t = pick(liveOf(true));
        if (t != null && t.hashed)
        {
            hashed.remove(t.key);
            t.hashed = false;
            table.invalidateTemplate(t.handle);
        }
    }

    private void removeServer()
    {
        final int server = random.nextInt(SERVERS);
        int expected = 0;
        for (final boolean templates : new boolean[] {false, true})
        {
            for (final Entry e : liveOf(templates))
            {
                if (e.server == server)
                {
                    release(e);
                    expected++;
                }
            }
        }
        assertEquals(expected, table.removeServer(server), context);
    }

    private void checkListing()
    {
        // Invalidated templates can share a key with a newer one: match each listed entry to an unused model entry.
        final Set<Entry> unlisted = new HashSet<>(live.values());
        table.forEach(
            (protocol, clientAddr, clientPort, vaddr, vport, serverId, state, template, expiresInNs) ->
            {
                final Key key = new Key(template, protocol, clientAddr, clientPort, vaddr, vport);
                Entry match = null;
                for (final Entry e : unlisted)
                {
                    if (e.key.equals(key) && e.server == serverId && e.state == state &&
                        Math.max(0, e.expiresAtNs - now) == expiresInNs)
                    {
                        match = e;
                        break;
                    }
                }
                assertTrue(match != null, context + " listed " + key + " expiring in " + expiresInNs);
                unlisted.remove(match);
            },
            now);
        assertTrue(unlisted.isEmpty(), context + " not listed: " + unlisted.size());
    }

    private void advanceAndExpire()
    {
        now += random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : seconds(random.nextInt(90));
        final long expiredBefore = table.expiredTotal();
        final int n = table.expire(now, Integer.MAX_VALUE);
        assertEquals(expiredBefore + n, table.expiredTotal(), context);
        final long nowTick = now >> TICK_SHIFT;

        final Set<Entry> lostAConnection = new HashSet<>();
        for (final Entry e : liveOf(false))
        {
            final boolean certainlyDue = (e.expiresAtNs >> TICK_SHIFT) < nowTick;
            final boolean isLive = table.isLive(e.handle);
            if (certainlyDue)
            {
                assertFalse(isLive, context + " connection past its tick");
            }
            else if (e.expiresAtNs > now)
            {
                assertTrue(isLive, context + " connection not yet due");
            }
            if (!isLive)
            {
                if (e.template != null)
                {
                    lostAConnection.add(e.template);
                }
                release(e);
                expired++;
            }
        }
        for (final Entry t : liveOf(true))
        {
            final boolean certainlyDue = (t.expiresAtNs >> TICK_SHIFT) < nowTick;
            final boolean isLive = table.isLive(t.handle);
            if (t.expiresAtNs > now)
            {
                assertTrue(isLive, context + " template not yet due");
                assertEquals(t.expiresAtNs, table.expiresAtNs(t.handle), context);
            }
            else if (isLive)
            {
                final long expiresAtNs = table.expiresAtNs(t.handle);
                if (expiresAtNs == t.expiresAtNs)
                {
                    assertFalse(certainlyDue, context + " template past its tick left alone");
                }
                else
                {
                    assertTrue(t.controlled > 0 || lostAConnection.contains(t), context + " re-armed without need");
                    assertEquals(now + ConnectionTable.TEMPLATE_EXPIRE_LATER_NS, expiresAtNs, context);
                    t.expiresAtNs = expiresAtNs;
                    t.timeoutNs = ConnectionTable.TEMPLATE_EXPIRE_LATER_NS;
                }
            }
            else
            {
                assertEquals(0, t.controlled, context + " expired while controlling connections");
                release(t);
                expired++;
            }
        }
        assertEquals(expired, table.expiredTotal(), context);
    }

    private void release(final Entry e)
    {
        live.remove(e.handle);
        if (e.hashed)
        {
            hashed.remove(e.key);
        }
        if (e.key.template)
        {
            if (e.controlled > 0)
            {
                e.zombie = true;
                zombies.add(e);
            }
            return;
        }
        halfOpen.remove(e.handle);
        if (e.template != null)
        {
            e.template.controlled--;
            if (e.template.zombie && e.template.controlled == 0)
            {
                zombies.remove(e.template);
            }
        }
    }

    private int lookup(final Key key)
    {
        return key.template ?
            table.lookupTemplate(key.protocol, key.client, key.vaddr, key.vport) :
            table.lookup(key.protocol, key.client, key.clientPort, key.vaddr, key.vport);
    }

    private void checkAll()
    {
        assertEquals(live.size() + zombies.size(), table.size(), context + " size");
        assertEquals(refused, table.refusedFull(), context + " refused");
        assertEquals(shed, table.shedHalfOpen(), context + " shed");
        assertEquals(halfOpen.size(), table.halfOpenCount(), context + " half-open");
        final int[][] expected = new int[SERVERS][3];
        for (final Entry e : live.values())
        {
            assertTrue(table.isLive(e.handle), () -> context);
            assertEquals(e.server, table.serverId(e.handle), () -> context);
            assertEquals(e.state, table.state(e.handle), () -> context);
            assertEquals(e.expiresAtNs, table.expiresAtNs(e.handle), () -> context);
            assertEquals(e.key.template, table.isTemplate(e.handle), () -> context);
            if (e.hashed)
            {
                assertEquals(e.handle, lookup(e.key), () -> context + " lookup " + e.key);
            }
            if (e.key.template)
            {
                assertEquals(e.controlled, table.controlledCount(e.handle), () -> context);
                expected[e.server][2]++;
            }
            else
            {
                assertEquals(e.template == null ? NO_ENTRY : e.template.handle,
                    table.controllingTemplate(e.handle), () -> context);
                expected[e.server][e.state == ConnectionState.ESTABLISHED ? 0 : 1]++;
            }
        }
        for (final Entry z : zombies)
        {
            assertFalse(table.isLive(z.handle), () -> context);
        }
        for (int server = 0; server < SERVERS; server++)
        {
            assertEquals(
                expected[server][0] + "/" + expected[server][1] + "/" + expected[server][2], counts.of(server),
                "counts of server " + server + " " + context);
        }
    }
}
