package io.jlvs.arp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourTableTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** An arbitrary nanoTime origin far from 0, so that no test depends on the clock starting at zero. */
    private static final long T0 = 7_000_000_000_000L;

    private static final int RS1 = ip(198, 18, 0, 11);
    private static final int RS2 = ip(198, 18, 0, 12);
    private static final int RS3 = ip(198, 18, 0, 13);
    private static final long MAC1 = MacAddress.parse("02:00:00:00:00:11");
    private static final long MAC2 = MacAddress.parse("02:00:00:00:00:12");
    private static final long MAC1_NEW = MacAddress.parse("02:00:00:00:01:11");

    private final NeighbourTable table = new NeighbourTable(NeighbourTimers.DEFAULT);
    private final RecordingProbeSink sink = new RecordingProbeSink();

    @Test
    void walksUnresolvedToReachableToStaleToFailedAndBackWhenTheServerAnswersAgain()
    {
        table.wanted(new int[]{ RS1 });

        // Unresolved: a broadcast request at once, and the caller learns the server has no MAC yet.
        assertEquals(2, table.poll(T0, sink));
        assertEquals(List.of("probe 198.18.0.11 to ff:ff:ff:ff:ff:ff", "unreachable 198.18.0.11"), sink.take());
        assertEquals(NeighbourState.INCOMPLETE, table.state(RS1));
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));

        // The reply is learnt: usable at once, reported at the next tick.
        table.learn(RS1, MAC1, T0 + 2 * MS);
        assertEquals(MAC1, table.lookup(RS1));
        assertEquals(NeighbourState.REACHABLE, table.state(RS1));
        assertEquals(1, table.poll(T0 + 3 * MS, sink));
        assertEquals(List.of("reachable 198.18.0.11"), sink.take());

        // Quiet until reachableNs has passed since the answer.
        final long learnt = T0 + 2 * MS;
        assertEquals(0, table.poll(learnt + NeighbourTimers.DEFAULT_REACHABLE_NS - 1, sink));
        assertEquals(List.of(), sink.take());

        // Then STALE: still forwarded to, re-confirmed with requests unicast to the known MAC.
        long now = learnt + NeighbourTimers.DEFAULT_REACHABLE_NS;
        table.poll(now, sink);
        assertEquals(List.of("probe 198.18.0.11 to 02:00:00:00:00:11"), sink.take());
        assertEquals(NeighbourState.STALE, table.state(RS1));
        assertEquals(MAC1, table.lookup(RS1));
        for (int probe = 2; probe <= NeighbourTimers.DEFAULT_MAX_PROBES; probe++)
        {
            table.poll(now + SECOND / 2, sink);
            assertEquals(List.of(), sink.take(), "no probe before probeIntervalNs has passed");
            now += NeighbourTimers.DEFAULT_PROBE_INTERVAL_NS;
            table.poll(now, sink);
            assertEquals(List.of("probe 198.18.0.11 to 02:00:00:00:00:11"), sink.take(), "probe " + probe);
            assertEquals(MAC1, table.lookup(RS1));
        }

        // maxProbes unanswered: FAILED, no MAC for forwarding, the caller is told.
        now += NeighbourTimers.DEFAULT_PROBE_INTERVAL_NS;
        assertEquals(1, table.poll(now, sink));
        assertEquals(List.of("unreachable 198.18.0.11"), sink.take());
        assertEquals(NeighbourState.FAILED, table.state(RS1));
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));

        // It answers again (from a new NIC): reachable with the new MAC.
        table.learn(RS1, MAC1_NEW, now + SECOND);
        assertEquals(MAC1_NEW, table.lookup(RS1));
        table.poll(now + SECOND, sink);
        assertEquals(List.of("reachable 198.18.0.11"), sink.take());
        assertEquals(NeighbourState.REACHABLE, table.state(RS1));
    }

    @Test
    void unresolvedServerFailsAfterMaxBroadcastProbesAndIsRetriedSlowly()
    {
        table.wanted(new int[]{ RS1 });
        long now = T0;
        for (int probe = 1; probe <= NeighbourTimers.DEFAULT_MAX_PROBES; probe++)
        {
            table.poll(now, sink);
            assertTrue(sink.take().contains("probe 198.18.0.11 to ff:ff:ff:ff:ff:ff"), "probe " + probe);
            now += NeighbourTimers.DEFAULT_PROBE_INTERVAL_NS;
        }

        assertEquals(0, table.poll(now, sink), "already reported unreachable, and entering FAILED sends nothing");
        assertEquals(NeighbourState.FAILED, table.state(RS1));
        assertEquals(List.of(), sink.take());

        table.poll(now + NeighbourTimers.DEFAULT_FAILED_PROBE_INTERVAL_NS - 1, sink);
        assertEquals(List.of(), sink.take());
        table.poll(now + NeighbourTimers.DEFAULT_FAILED_PROBE_INTERVAL_NS, sink);
        assertEquals(List.of("probe 198.18.0.11 to ff:ff:ff:ff:ff:ff"), sink.take());
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));
    }

    @Test
    void answerWhileStaleMakesTheEntryReachableWithoutAnyReport()
    {
        table.wanted(new int[]{ RS1 });
        table.poll(T0, sink);
        table.learn(RS1, MAC1, T0);
        table.poll(T0, sink);
        sink.take();

        final long stale = T0 + NeighbourTimers.DEFAULT_REACHABLE_NS;
        table.poll(stale, sink);
        assertEquals(NeighbourState.STALE, table.state(RS1));
        table.learn(RS1, MAC1, stale + MS);
        assertEquals(0, table.poll(stale + 2 * MS, sink));
        assertEquals(List.of("probe 198.18.0.11 to 02:00:00:00:00:11"), sink.take());
        assertEquals(NeighbourState.REACHABLE, table.state(RS1));

        // The timer restarted at the answer: nothing due for another reachableNs.
        assertEquals(0, table.poll(stale + MS + NeighbourTimers.DEFAULT_REACHABLE_NS - 1, sink));
    }

    @Test
    void newWantedSetCarriesOverKnownMacsAndDropsAddressesNoLongerWanted()
    {
        table.wanted(new int[]{ RS1, RS2 });
        table.poll(T0, sink);
        table.learn(RS1, MAC1, T0);
        table.learn(RS2, MAC2, T0);
        table.poll(T0, sink);
        sink.take();

        table.wanted(new int[]{ RS3, RS2 });
        assertEquals(MAC1, table.lookup(RS1), "the forwarding thread keeps its set until its next poll");

        table.poll(T0 + SECOND, sink);
        assertEquals(List.of("probe 198.18.0.13 to ff:ff:ff:ff:ff:ff", "unreachable 198.18.0.13"), sink.take(),
            "RS2 is carried over silently, RS3 is new");
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));
        assertEquals(NeighbourState.NONE, table.state(RS1));
        assertEquals(MAC2, table.lookup(RS2));
        assertEquals(NeighbourState.REACHABLE, table.state(RS2));
        assertEquals(NeighbourState.INCOMPLETE, table.state(RS3));

        // RS2's timer was carried over too: it goes STALE reachableNs after it was learnt, not after the change.
        table.poll(T0 + NeighbourTimers.DEFAULT_REACHABLE_NS, sink);
        assertTrue(sink.take().contains("probe 198.18.0.12 to 02:00:00:00:00:12"));
    }

    @Test
    void versionChangesWithEveryChangeOfALookupsAnswerAndOnlyThen()
    {
        table.wanted(new int[]{ RS1 });
        long version = table.version();
        table.poll(T0, sink);
        assertVersionChanged(version, "a new set adopted");
        version = table.version();

        table.learn(RS1, MAC1, T0);
        assertVersionChanged(version, "a MAC learnt");
        version = table.version();
        assertEquals(version, table.versionShared());

        table.learn(RS1, MAC1, T0 + MS);
        assertEquals(version, table.version(), "the same MAC again changes no answer");
        table.learn(RS2, MAC2, T0 + MS);
        assertEquals(version, table.version(), "an address not wanted changes no answer");

        table.learn(RS1, MAC1_NEW, T0 + 2 * MS);
        assertVersionChanged(version, "a MAC changed");
        version = table.version();

        // REACHABLE -> STALE keeps the MAC usable: no change. Then the probes go unanswered until FAILED: a change.
        long now = T0 + 2 * MS + NeighbourTimers.DEFAULT_REACHABLE_NS;
        table.poll(now, sink);
        assertEquals(NeighbourState.STALE, table.state(RS1));
        for (int i = 0; i <= NeighbourTimers.DEFAULT_MAX_PROBES && table.state(RS1) != NeighbourState.FAILED; i++)
        {
            version = table.version();
            now += NeighbourTimers.DEFAULT_PROBE_INTERVAL_NS;
            table.poll(now, sink);
        }
        assertEquals(NeighbourState.FAILED, table.state(RS1));
        assertVersionChanged(version, "the entry failed");
        version = table.version();

        table.learn(RS1, MAC1_NEW, now + MS);
        assertVersionChanged(version, "a failed entry answering again, with the MAC it had");
    }

    private void assertVersionChanged(final long before, final String why)
    {
        assertNotEquals(before, table.version(), why);
        assertEquals(table.version(), table.versionShared(), why);
    }

    @Test
    void learningAnAddressThatIsNotWantedIsIgnored()
    {
        table.wanted(new int[]{ RS1 });
        table.poll(T0, sink);

        table.learn(RS2, MAC2, T0);

        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS2));
        assertEquals(NeighbourState.NONE, table.state(RS2));
        final List<String> listed = new ArrayList<>();
        table.forEach((address, mac, state) -> listed.add(Ipv4Text.toString(address)));
        assertEquals(List.of("198.18.0.11"), listed);
    }

    @Test
    void learningBeforeTheWantedSetIsAdoptedIsIgnored()
    {
        table.wanted(new int[]{ RS1 });

        table.learn(RS1, MAC1, T0);

        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));
        assertEquals(NeighbourState.NONE, table.state(RS1));
    }

    @Test
    void learningAGroupOrZeroMacIsIgnored()
    {
        table.wanted(new int[]{ RS1 });
        table.poll(T0, sink);

        table.learn(RS1, NeighbourTable.BROADCAST_MAC, T0);
        table.learn(RS1, MacAddress.parse("01:00:5e:00:00:01"), T0);
        table.learn(RS1, MacAddress.ZERO, T0);
        table.learn(RS1, NeighbourTable.NO_MAC, T0);

        assertEquals(NeighbourState.INCOMPLETE, table.state(RS1));
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));
    }

    @Test
    void listsEveryEntryWithItsLastMacAndState()
    {
        table.wanted(new int[]{ RS2, RS1, RS2 });
        table.poll(T0, sink);
        table.learn(RS2, MAC2, T0);

        final List<String> listed = new ArrayList<>();
        table.forEach((address, mac, state) -> listed.add(
            Ipv4Text.toString(address) + " " + (mac == NeighbourTable.NO_MAC ? "-" : MacAddress.toString(mac)) + " " +
            NeighbourState.name(state)));

        assertEquals(List.of("198.18.0.11 - INCOMPLETE", "198.18.0.12 02:00:00:00:00:12 REACHABLE"), listed);
    }

    @Test
    void eachPollIsBoundedAndLaterPollsReachEveryEntry()
    {
        final int count = 3 * NeighbourTable.MAX_ENTRIES_PER_POLL;
        final int[] addresses = new int[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = ip(198, 18, 1 + i / 200, 1 + i % 200);
        }
        table.wanted(addresses);

        final Map<String, Integer> probesPerTarget = new HashMap<>();
        int polls = 0;
        while (probesPerTarget.size() < count && polls < count)
        {
            table.poll(T0, sink);
            polls++;
            int probes = 0;
            for (final String event : sink.take())
            {
                if (event.startsWith("probe "))
                {
                    probes++;
                    probesPerTarget.merge(event, 1, Integer::sum);
                }
            }
            assertTrue(probes <= NeighbourTable.MAX_PROBES_PER_POLL, "poll " + polls + " sent " + probes);
        }

        assertEquals(count, probesPerTarget.size(), "every address probed after " + polls + " polls");
        assertTrue(probesPerTarget.values().stream().allMatch(n -> n == 1), "each once: " + probesPerTarget);
        assertEquals((count + NeighbourTable.MAX_PROBES_PER_POLL - 1) / NeighbourTable.MAX_PROBES_PER_POLL, polls);
    }

    @Test
    void emptyTableDoesNothing()
    {
        assertEquals(0, table.poll(T0, sink));
        assertEquals(NeighbourTable.NO_MAC, table.lookup(RS1));
        table.learn(RS1, MAC1, T0);
        assertEquals(NeighbourState.NONE, table.state(RS1));
        assertEquals(List.of(), sink.take());
    }

    @Test
    void rejectsAddressesArpCannotResolve()
    {
        assertThrows(IllegalArgumentException.class, () -> table.wanted(new int[]{ 0 }));
        assertThrows(IllegalArgumentException.class, () -> table.wanted(new int[]{ 0xFFFF_FFFF }));
        assertThrows(IllegalArgumentException.class, () -> table.wanted(new int[]{ ip(224, 0, 0, 18) }));
        assertThrows(NullPointerException.class, () -> table.wanted(null));
    }

    @Test
    void toleratesAClockThatWrapsAround()
    {
        final long nearWrap = Long.MAX_VALUE - SECOND / 2;
        table.wanted(new int[]{ RS1 });
        table.poll(nearWrap, sink);
        sink.take();

        table.poll(nearWrap + SECOND / 4, sink);
        assertEquals(List.of(), sink.take());
        table.poll(nearWrap + NeighbourTimers.DEFAULT_PROBE_INTERVAL_NS, sink);
        assertEquals(List.of("probe 198.18.0.11 to ff:ff:ff:ff:ff:ff"), sink.take());
    }

    static int ip(final int a, final int b, final int c, final int d)
    {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
