package io.jlvs.cli;

import io.jlvs.dataplane.transport.TransportOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many workers {@code --workers} takes on which transport, and the fanout group their sockets join. */
class TransportsTest
{
    @Test
    void oneToSixtyFourWorkersRunOnAfPacketAndOneOnPcap()
    {
        assertNull(Transports.checkWorkers(1, Transports.Kind.afpacket));
        assertNull(Transports.checkWorkers(Transports.MAX_WORKERS, Transports.Kind.afpacket));
        assertNull(Transports.checkWorkers(1, Transports.Kind.pcap));
        assertEquals("--workers must be 1..64, workers=0", Transports.checkWorkers(0, Transports.Kind.afpacket));
        assertEquals("--workers must be 1..64, workers=65", Transports.checkWorkers(65, Transports.Kind.afpacket));
        assertTrue(Transports.checkWorkers(2, Transports.Kind.pcap).startsWith("--workers 2 needs --io afpacket"));
    }

    @Test
    void openingRefusedWorkersThrowsBeforeAnySocketIsOpened()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Transports.openWorkers(Transports.Kind.pcap, "jlvsnosuch0", 2, 1));

        assertTrue(refused.getMessage().startsWith("--workers 2 needs --io afpacket"), refused.getMessage());
    }

    @Test
    void theFanoutGroupIdIsNeverZeroAndFitsSixteenBitsWhateverThePid()
    {
        for (final long pid : List.of(0L, 1L, 4_194_304L, (long)TransportOptions.MAX_FANOUT_GROUP_ID - 1,
            (long)TransportOptions.MAX_FANOUT_GROUP_ID, Long.MAX_VALUE))
        {
            final int group = Transports.fanoutGroupId(pid);
            assertTrue(group >= 1 && group <= TransportOptions.MAX_FANOUT_GROUP_ID, "pid " + pid + ": " + group);
        }
        assertEquals(Transports.fanoutGroupId(1234), Transports.fanoutGroupId(1234), "one group per process");
        assertTrue(Transports.fanoutGroupId(1234) != Transports.fanoutGroupId(1235), "processes differ");
    }
}
