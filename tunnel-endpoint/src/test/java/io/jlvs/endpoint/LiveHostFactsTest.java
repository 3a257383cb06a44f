package io.jlvs.endpoint;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads this machine's own namespace: needs no root, only /proc/sys and rtnetlink, which every Linux host has. */
class LiveHostFactsTest
{
    @Test
    void listsLoopbacksAddressThroughRtnetlink()
    {
        final List<InterfaceAddress> addresses = HostFacts.live().ipv4Addresses();

        assertTrue(addresses.contains(new InterfaceAddress("lo", InterfaceAddress.parse("127.0.0.1"), 8)),
            addresses::toString);
    }

    @Test
    void readsIpv4SysctlsOfAllAndLoopback()
    {
        final HostFacts facts = HostFacts.live();

        assertTrue(facts.ipv4Conf("all", "rp_filter").isPresent());
        assertTrue(facts.ipv4Conf("lo", "arp_ignore").isPresent());
        assertTrue(facts.ipv4Conf("no-such-dev0", "rp_filter").isEmpty());
    }
}
