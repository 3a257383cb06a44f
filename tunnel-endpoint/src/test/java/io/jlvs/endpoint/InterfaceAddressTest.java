package io.jlvs.endpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InterfaceAddressTest
{
    @Test
    void parsesAndPrintsDottedQuadsInHostByteOrder()
    {
        assertEquals(0xC61200C8, InterfaceAddress.parse("198.18.0.200"));
        assertEquals("198.18.0.200", InterfaceAddress.dotted(0xC61200C8));
        assertEquals("255.255.255.255", InterfaceAddress.dotted(InterfaceAddress.parse("255.255.255.255")));
        assertEquals("198.18.0.200/32 dev lo", new InterfaceAddress("lo", 0xC61200C8, 32).toString());
    }

    @Test
    void rejectsWhatIsNoDottedQuad()
    {
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("198.18.0"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("198.18.0.256"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("198.18.0.x"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("198.18.0.-1"));
        assertThrows(IllegalArgumentException.class, () -> InterfaceAddress.parse("198.18..1"));
    }
}
