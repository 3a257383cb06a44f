package io.jlvs.dataplane.transport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportCountersTest
{
    @Test
    void addAccumulatesPerCounterWithoutTouchingOthers()
    {
        final TransportCounters counters = new TransportCounters();

        counters.add(TransportCounter.RX_FRAMES, 3);
        counters.increment(TransportCounter.RX_FRAMES);
        counters.add(TransportCounter.TX_ERRORS, 2);

        assertEquals(4, counters.rxFrames());
        assertEquals(2, counters.txErrors());
        assertEquals(0, counters.rxBytes());
        assertEquals(0, counters.txFrames());
    }

    @Test
    void countersHaveUniqueIdsAndLabels()
    {
        final Set<String> labels = new HashSet<>();
        for (int id = 0; id < TransportCounter.count(); id++)
        {
            final TransportCounter counter = TransportCounter.ofId(id);
            assertEquals(id, counter.id());
            assertTrue(labels.add(counter.label()), counter.label());
        }
    }

    @Test
    void toStringNamesEveryCounter()
    {
        final TransportCounters counters = new TransportCounters();
        counters.add(TransportCounter.TX_DROPPED_NO_BUFFER, 7);
        counters.txLastErrno(11);

        final String text = counters.toString();

        assertTrue(text.contains("txDroppedNoBuffer=7"), text);
        assertTrue(text.contains("txLastErrno=11"), text);
    }
}
