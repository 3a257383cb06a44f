package io.jlvs.dataplane.transport.afpacket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutByClientTest
{
    @Test
    void instructionsAreLaidOutAsStructSockFilter()
    {
        // jeq #0x800, jt 0, jf 4: code 0x15, jt 0x00, jf 0x04, k 0x00000800, little-endian.
        assertEquals(0x0000_0800_0400_0015L, FanoutByClient.PROGRAM.instruction(1));
        // ldh of the ancillary protocol: k = SKF_AD_OFF (-0x1000).
        assertEquals(0xFFFF_F000_0000_0028L, FanoutByClient.PROGRAM.instruction(0));
        assertEquals(7, FanoutByClient.PROGRAM.length());
    }

    @Test
    void addressesThatDifferOnlyInTheirLastOctetSpreadOverTwoWorkers()
    {
        final int base = (198 << 24) | (18 << 16);
        final int[] perWorker = new int[2];
        for (int last = 0; last < 256; last++)
        {
            perWorker[(int)(FanoutByClient.hash(base | last) % 2)]++;
        }
        // A plain "address mod 2" would split on parity alone; the hash must not collapse either way.
        assertTrue(perWorker[0] > 96 && perWorker[1] > 96, perWorker[0] + "/" + perWorker[1]);
    }
}
