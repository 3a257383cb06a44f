package io.jlvs.bench.harness;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InterfaceCountersTest
{
    private static final String NET_DEV = String.join("\n",
        "Inter-|   Receive                                                |  Transmit",
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls " +
            "carrier compressed",
        "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0 " +
            "      0          0",
        "  eth0: 9060000  151000    0    7    0     0          0         3     4200      70    0    2    0     0 " +
            "      0          0",
        "");

    @Test
    void readsPacketAndDropColumnsOfTheNamedInterface() throws IOException
    {
        assertEquals(new InterfaceCounters.Sample(151_000, 7, 70, 2), InterfaceCounters.parse(NET_DEV, "eth0", "t"));
        assertEquals(new InterfaceCounters.Sample(0, 0, 0, 0), InterfaceCounters.parse(NET_DEV, "lo", "t"));
    }

    @Test
    void refusesAnInterfaceThatIsNotThere()
    {
        assertThrows(IOException.class, () -> InterfaceCounters.parse(NET_DEV, "eth1", "t"));
    }

    @Test
    void differenceOfTwoSamplesIsWhatPassedInBetween()
    {
        assertEquals(new InterfaceCounters.Sample(5, 1, 3, 0),
            new InterfaceCounters.Sample(15, 2, 13, 4).minus(new InterfaceCounters.Sample(10, 1, 10, 4)));
    }
}
