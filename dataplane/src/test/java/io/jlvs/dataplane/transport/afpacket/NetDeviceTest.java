package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.TransportException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetDeviceTest
{
    /** {@code ARPHRD_LOOPBACK}. */
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int LOOPBACK_127_0_0_1 = 0x7F000001;

    @Test
    void describesLoopbackThroughIoctls()
    {
        final NetDevice lo = NetDevice.query("lo");

        assertEquals("lo", lo.name());
        assertTrue(lo.index() > 0);
        assertEquals(ARPHRD_LOOPBACK, lo.hardwareType());
        assertFalse(lo.isEthernet());
        assertEquals(0, lo.macAddress());
        assertEquals(LOOPBACK_127_0_0_1, lo.ipv4Address());
        assertTrue(lo.mtu() > 0);
    }

    @Test
    void missingInterfaceIsNamedWithItsErrno()
    {
        final TransportException ex = assertThrows(TransportException.class, () -> NetDevice.query("jlvsnosuch0"));

        assertTrue(ex.getMessage().contains("jlvsnosuch0"), ex.getMessage());
        assertEquals(Errno.ENODEV, ex.errno());
    }
}
