package io.jlvs.scheduler;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RealServerCountsTest
{
    @Test
    void forwardedPacketsAndBytesCountedOneByOneOrAsARunSumOverWorkers()
    {
        final RealServer server = new RealServer(0, Ipv4.parse("198.18.1.1"), 80, 1, 2);
        server.countForwarded(0, 40);
        server.countForwarded(1, 3L, 300L);
        server.countForwarded(0, 2L, 1500L);

        assertEquals(6, server.inPackets());
        assertEquals(1840, server.inBytes());
    }
}
