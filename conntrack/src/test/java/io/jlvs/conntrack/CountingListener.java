package io.jlvs.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sums the counter deltas per server the way the forwarding side applies them, and records each call. */
final class CountingListener implements ConnectionListener
{
    private static final int ACTIVE = 0;
    private static final int INACTIVE = 1;
    private static final int PERSISTENT = 2;

    final Map<Integer, int[]> counts = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public void onCountersChanged(
        final int serverId, final int activeDelta, final int inactiveDelta, final int persistentDelta)
    {
        final int[] c = counts.computeIfAbsent(serverId, id -> new int[3]);
        c[ACTIVE] += activeDelta;
        c[INACTIVE] += inactiveDelta;
        c[PERSISTENT] += persistentDelta;
        calls.add(serverId + ":" + activeDelta + "/" + inactiveDelta + "/" + persistentDelta);
    }

    int active(final int serverId)
    {
        return counts.getOrDefault(serverId, new int[3])[ACTIVE];
    }

    int inactive(final int serverId)
    {
        return counts.getOrDefault(serverId, new int[3])[INACTIVE];
    }

    int persistent(final int serverId)
    {
        return counts.getOrDefault(serverId, new int[3])[PERSISTENT];
    }

    /** "active/inactive/persistent" of one server. */
    String of(final int serverId)
    {
        return active(serverId) + "/" + inactive(serverId) + "/" + persistent(serverId);
    }
}
