package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointOptionsTest
{
    @Test
    void defaultsToAnyInterfaceNoVipAndTheJlvsTunDevice()
    {
        final EndpointOptions options = EndpointOptions.builder().build();

        assertNull(options.interfaceName());
        assertEquals(0, options.vips().length);
        assertEquals("jlvs-tun0", options.tunName());
        assertFalse(options.strict());
        assertEquals(32, options.batchSize());
        assertEquals(65536, options.receiveSlotBytes());
    }

    @Test
    void keepsVipsInTheOrderGivenWithoutDuplicates()
    {
        final int a = FrameBuilder.address("198.18.0.200");
        final int b = FrameBuilder.address("198.18.0.201");

        final EndpointOptions options = EndpointOptions.builder().vip(b).vip(a).vips(b, a).build();

        assertArrayEquals(new int[] {b, a}, options.vips());
        assertEquals("EndpointOptions{interface=any, vips=[198.18.0.201,198.18.0.200], tun=jlvs-tun0, strict=false, " +
            "batchSize=32, receiveSlotBytes=65536}", options.toString());
    }

    @Test
    void vipsCannotBeChangedThroughTheReturnedArray()
    {
        final EndpointOptions options = EndpointOptions.builder().vip(1).build();

        options.vips()[0] = 2;

        assertEquals(1, options.vips()[0]);
    }

    @Test
    void rejectsDeviceNamesTheKernelWouldRefuse()
    {
        assertEquals("tun name must be 1-15 printable characters without '/', ':' or spaces, " +
            "tun name='a-name-that-is-too-long'",
            assertThrows(IllegalArgumentException.class,
                () -> EndpointOptions.builder().tunName("a-name-that-is-too-long")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().tunName(""));
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().interfaceName("eth0/1"));
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().interfaceName("eth 0"));
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().interfaceName(".."));
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().interfaceName("eth0:1"));
    }

    @Test
    void acceptsAVlanInterfaceAndANumberPatternForTheTunDevice()
    {
        final EndpointOptions options = EndpointOptions.builder().interfaceName("eth0.100").tunName("jlvs%d").build();

        assertEquals("eth0.100", options.interfaceName());
        assertEquals("jlvs%d", options.tunName());
    }

    @Test
    void rejectsBatchSizesRecvmmsgWouldNotTake()
    {
        assertEquals("batchSize must be in 1..1024, batchSize=0",
            assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().batchSize(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().batchSize(1025));
        assertEquals(1024, EndpointOptions.builder().batchSize(1024).build().batchSize());
    }

    @Test
    void rejectsReceiveSlotsOutsideIpv4sLimits()
    {
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().receiveSlotBytes(575));
        assertThrows(IllegalArgumentException.class, () -> EndpointOptions.builder().receiveSlotBytes(65537));
        assertEquals(576, EndpointOptions.builder().receiveSlotBytes(576).build().receiveSlotBytes());
    }
}
