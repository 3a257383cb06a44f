package io.jlvs.arp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressTest
{
    @Test
    void parsesAndFormatsFirstOctetInTheHighBits()
    {
        assertEquals(0x0242_AC11_00FEL, MacAddress.parse("02:42:ac:11:00:fe"));
        assertEquals(0x0242_AC11_00FEL, MacAddress.parse("02:42:AC:11:00:FE"));
        assertEquals("02:42:ac:11:00:fe", MacAddress.toString(0x0242_AC11_00FEL));
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.toString(MacAddress.BROADCAST));
        assertEquals("00:00:00:00:00:01", MacAddress.toString(1));
    }

    @Test
    void rejectsTextThatIsNotSixHexOctets()
    {
        for (final String bad : new String[]{ "", "02:42:ac:11:00", "02:42:ac:11:00:fe:01", "02-42-ac-11-00-fe",
            "0g:42:ac:11:00:fe", "02:42:ac:11:00:f", " 2:42:ac:11:00:fe" })
        {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(null));
    }

    @Test
    void readsAndWritesSixOctetsInNetworkOrder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        MacAddress.write(buffer, 2, 0x0242_AC11_00FEL);

        assertEquals("00 00 02 42 ac 11 00 fe 00 00", Hex.of(buffer, 0, 10));
        assertEquals(0x0242_AC11_00FEL, MacAddress.read(buffer, 2));
    }

    @Test
    void classifiesUnicastAndGroupAddresses()
    {
        assertTrue(MacAddress.isUnicast(MacAddress.parse("02:42:ac:11:00:fe")));
        assertFalse(MacAddress.isUnicast(MacAddress.BROADCAST));
        assertFalse(MacAddress.isUnicast(MacAddress.parse("01:00:5e:00:00:01")));
        assertFalse(MacAddress.isUnicast(MacAddress.ZERO));
        assertFalse(MacAddress.isUnicast(NeighbourTable.NO_MAC));
        assertTrue(MacAddress.isGroup(MacAddress.BROADCAST));
        assertTrue(MacAddress.isGroup(MacAddress.parse("33:33:00:00:00:01")));
        assertFalse(MacAddress.isGroup(MacAddress.parse("02:42:ac:11:00:fe")));
    }
}
