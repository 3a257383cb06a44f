package io.jlvs.arp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArpHeaderTest
{
    @Test
    void offsetsMatchRfc826ForIpv4OverEthernet()
    {
        assertEquals(14, ArpHeader.ETHERNET_HEADER_LENGTH);
        assertEquals(12, ArpHeader.ETHERTYPE_OFFSET);
        assertEquals(6, ArpHeader.OPER_OFFSET);
        assertEquals(8, ArpHeader.SHA_OFFSET);
        assertEquals(14, ArpHeader.SPA_OFFSET);
        assertEquals(18, ArpHeader.THA_OFFSET);
        assertEquals(24, ArpHeader.TPA_OFFSET);
        assertEquals(28, ArpHeader.ARP_LENGTH);
        assertEquals(42, ArpHeader.FRAME_LENGTH);
    }
}
