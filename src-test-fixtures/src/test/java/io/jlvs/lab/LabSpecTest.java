package io.jlvs.lab;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabSpecTest
{
    @Test
    void defaultsAreTheIssuesScenario()
    {
        final LabSpec spec = LabSpec.defaults();
        assertEquals(3, spec.realServerCount());
        assertEquals(1, spec.clientCount());
        assertEquals(LabAddresses.parseIpv4("198.18.0.100"), spec.vip());
        assertTrue(spec.withProbe());
        assertEquals(1500, spec.mtu());
        assertEquals(Map.of(), spec.sysctls());
        assertFalse(spec.withRouter());
        assertEquals(0, spec.routedRealServerCount());
        assertEquals(1500, spec.routerLinkMtu());
    }

    @Test
    void routerBringsOneRoutedRealServerUnlessToldOtherwise()
    {
        final LabSpec one = LabSpec.builder().withRouter(true).build();
        assertTrue(one.withRouter());
        assertEquals(1, one.routedRealServerCount());
        assertEquals(1500, one.routerLinkMtu());
        assertEquals(3, LabSpec.builder().withRouter(true).routedRealServerCount(3).build().routedRealServerCount());
        assertEquals(0, LabSpec.builder().withRouter(true).routedRealServerCount(0).build().routedRealServerCount());
        assertEquals(1400, LabSpec.builder().withRouter(true).routerLinkMtu(1400).build().routerLinkMtu());
        assertEquals(9000, LabSpec.builder().mtu(9000).withRouter(true).build().routerLinkMtu(),
            "the router link follows the lab's MTU unless set");
        assertTrue(LabSpec.builder().withRouter(true).routerLinkMtu(1400).build().toString()
            .contains("router(routedRealServers=1, linkMtu=1400)"));
    }

    @Test
    void rejectsRouterSettingsWithoutTheRouterOrOutOfRange()
    {
        final IllegalArgumentException noRouter = assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().routedRealServerCount(1).build());
        assertTrue(noRouter.getMessage().contains("withRouter(true)"), noRouter.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().routerLinkMtu(1400).build());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().routedRealServerCount(-1).build());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().withRouter(true)
            .routedRealServerCount(LabAddresses.MAX_ROUTED_REAL_SERVERS + 1).build());
        assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().withRouter(true).routerLinkMtu(67).build());
        assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().withRouter(true).routerLinkMtu(1501).build(), "wider than the lab's links");
    }

    @Test
    void rejectsVipThatIsTheRoutersAddressOnlyWhenThereIsARouter()
    {
        final int router = LabAddresses.parseIpv4("198.18.0.1");
        assertEquals(router, LabSpec.builder().vip(router).build().vip());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().withRouter(true).vip(router).build());
        assertTrue(ex.getMessage().contains("198.18.0.1"), ex.getMessage());
    }

    @Test
    void rejectsVipThatIsARealServersAddress()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().vip(LabAddresses.parseIpv4("198.18.0.102")).build());
        assertTrue(ex.getMessage().contains("198.18.0.102"), ex.getMessage());
    }

    @Test
    void rejectsVipOutsideTheSegment()
    {
        assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().vip(LabAddresses.parseIpv4("10.0.0.1")).build());
        assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().vip(LabAddresses.parseIpv4("198.18.0.255")).build());
    }

    @Test
    void acceptsVipOfAnUnusedRealServerSlot()
    {
        assertEquals(LabAddresses.parseIpv4("198.18.0.105"),
            LabSpec.builder().realServerCount(4).vip(LabAddresses.parseIpv4("198.18.0.105")).build().vip());
    }

    @Test
    void rejectsCountsAndMtuOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().realServerCount(0).build());
        assertThrows(IllegalArgumentException.class,
            () -> LabSpec.builder().realServerCount(LabAddresses.MAX_REAL_SERVERS + 1).build());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().clientCount(10).build());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().mtu(67).build());
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().mtu(65536).build());
    }

    @Test
    void rejectsSysctlKeyThatIsAPath()
    {
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().sysctl("net/ipv4/ip_forward", "1"));
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().sysctl("net.ipv4..ip_forward", "1"));
        assertEquals(Map.of("net.ipv4.conf.all.rp_filter", "2"),
            LabSpec.builder().sysctl("net.ipv4.conf.all.rp_filter", "2").build().sysctls());
    }
}
