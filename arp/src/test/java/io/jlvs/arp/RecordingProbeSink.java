package io.jlvs.arp;

import java.util.ArrayList;
import java.util.List;

/** Records what a {@link NeighbourTable} asked for, as readable lines, and lets a test take them batch by batch. */
final class RecordingProbeSink implements NeighbourTable.ProbeSink
{
    private final List<String> events = new ArrayList<>();

    @Override
    public void probe(final int targetAddress, final long dstMac)
    {
        events.add("probe " + Ipv4Text.toString(targetAddress) + " to " + MacAddress.toString(dstMac));
    }

    @Override
    public void reachabilityChanged(final int address, final boolean reachable)
    {
        events.add((reachable ? "reachable " : "unreachable ") + Ipv4Text.toString(address));
    }

    /** The events since the last call. */
    List<String> take()
    {
        final List<String> taken = new ArrayList<>(events);
        events.clear();
        return taken;
    }
}
