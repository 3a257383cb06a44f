package io.jlvs.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabAddressesTest
{
    @Test
    void parsesAndFormatsDottedQuadsInHostByteOrder()
    {
        assertEquals(0xC6120064, LabAddresses.parseIpv4("198.18.0.100"));
        assertEquals("198.18.0.100", LabAddresses.formatIpv4(0xC6120064));
        assertEquals("255.255.255.255", LabAddresses.formatIpv4(-1));
    }

    @Test
    void rejectsTextThatIsNotADottedQuad()
    {
        for (final String bad : new String[] {"198.18.0", "198.18.0.256", "198.18.0.-1", "198.18.0.+1", "a.b.c.d",
            "198.18.0.1.", ""})
        {
            assertThrows(IllegalArgumentException.class, () -> LabAddresses.parseIpv4(bad), bad);
        }
    }

    @Test
    void clientsAndRealServersNeverShareAnAddress()
    {
        for (int k = 1; k <= LabAddresses.MAX_CLIENTS; k++)
        {
            for (int n = 1; n <= LabAddresses.MAX_REAL_SERVERS; n++)
            {
                assertTrue(LabAddresses.client(k) != LabAddresses.realServer(n), k + " " + n);
            }
            assertTrue(LabAddresses.isHostOf(LabAddresses.SEGMENT, LabAddresses.client(k)));
        }
        assertEquals("198.18.0.101", LabAddresses.formatIpv4(LabAddresses.realServer(1)));
        assertEquals("198.18.0.254",
            LabAddresses.formatIpv4(LabAddresses.realServer(LabAddresses.MAX_REAL_SERVERS)));
        assertEquals("198.18.0.90", LabAddresses.formatIpv4(LabAddresses.client(LabAddresses.MAX_CLIENTS)));
    }

    @Test
    void everyPlannedAddressIsInTheBenchmarkRange()
    {
        for (final int address : new int[] {LabAddresses.DIRECTOR, LabAddresses.DIRECTOR_PROBE_SIDE,
            LabAddresses.PROBE, LabAddresses.DEFAULT_VIP, LabAddresses.client(1), LabAddresses.realServer(1),
            LabAddresses.ROUTER, LabAddresses.ROUTER_ROUTED_SIDE, LabAddresses.routedRealServer(1),
            LabAddresses.routedRealServer(LabAddresses.MAX_ROUTED_REAL_SERVERS)})
        {
            assertTrue(LabAddresses.isBenchmarkRange(address), LabAddresses.formatIpv4(address));
        }
        assertFalse(LabAddresses.isBenchmarkRange(LabAddresses.parseIpv4("198.20.0.1")));
    }

    @Test
    void routedRealServersSitBehindTheRouterOnTheirOwnSubnet()
    {
        assertEquals("198.18.0.1", LabAddresses.formatIpv4(LabAddresses.ROUTER));
        assertEquals("198.19.1.1", LabAddresses.formatIpv4(LabAddresses.ROUTER_ROUTED_SIDE));
        assertEquals("198.19.1.11", LabAddresses.formatIpv4(LabAddresses.routedRealServer(1)));
        assertEquals("198.19.1.254",
            LabAddresses.formatIpv4(LabAddresses.routedRealServer(LabAddresses.MAX_ROUTED_REAL_SERVERS)));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.routedRealServer(0));
        assertThrows(IllegalArgumentException.class,
            () -> LabAddresses.routedRealServer(LabAddresses.MAX_ROUTED_REAL_SERVERS + 1));
        for (int k = 1; k <= LabAddresses.MAX_CLIENTS; k++)
        {
            assertTrue(LabAddresses.client(k) != LabAddresses.ROUTER);
        }
        assertTrue(LabAddresses.ROUTER != LabAddresses.DIRECTOR);
        assertFalse(LabAddresses.isHostOf(LabAddresses.PROBE_SEGMENT, LabAddresses.routedRealServer(1)),
            "the routed segment is not the probe link");
    }

    @Test
    void macTextRoundTripsThrough48Bits()
    {
        assertEquals(0x0A1B2C3D4E5FL, LabAddresses.parseMac("0a:1b:2c:3d:4e:5f"));
        assertEquals("0a:1b:2c:3d:4e:5f", LabAddresses.formatMac(0x0A1B2C3D4E5FL));
        assertEquals("ff:ff:ff:ff:ff:ff", LabAddresses.formatMac(-1L));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.parseMac("0a:1b:2c:3d:4e"));
        assertThrows(IllegalArgumentException.class, () -> LabAddresses.parseMac("0a:1b:2c:3d:4e:5"));
    }
}
