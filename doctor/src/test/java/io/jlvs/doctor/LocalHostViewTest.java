package io.jlvs.doctor;

import io.jlvs.doctor.host.IpLink;
import io.jlvs.doctor.host.RouteLookup;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.nio.file.NoSuchFileException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads of the machine the tests run on: only what every Linux host has (lo, /proc), nothing root needs. */
class LocalHostViewTest
{
    private final LocalHostView host = LocalHostView.local();

    @Test
    void readsASysctlAndReportsAMissingOneAsAbsent()
    {
        final Reading forward = host.sysctl("net/ipv4/ip_forward");
        final Reading missing = host.sysctl("net/ipv4/conf/no-such-interface/arp_ignore");

        assertTrue(forward.isPresent(), forward.text());
        assertTrue(forward.text().equals("0") || forward.text().equals("1"), forward.text());
        assertEquals(Reading.Status.ABSENT, missing.status());
    }

    @Test
    void refusesSysctlPathsOutsideProcSys()
    {
        assertThrows(IllegalArgumentException.class, () -> host.sysctl("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> host.sysctl("/etc/passwd"));
    }

    @Test
    void listsLoopbackAndLooksUpALocalRoute()
    {
        final Reading links = host.links();
        final Reading route = host.routeGet(Ipv4.parse("127.0.0.1"), 0);

        assertTrue(links.isPresent(), links.text());
        assertTrue(IpLink.parse(links.text()).stream().anyMatch(IpLink::isLoopback), links.text());
        assertTrue(route.isPresent(), route.text());
        assertTrue(RouteLookup.parse(route.text()).orElseThrow().isLocal(), route.text());
    }

    @Test
    void listsThisProcessAmongTheRunningOnes()
    {
        final Reading processes = host.processes();

        assertTrue(processes.isPresent(), processes.text());
        assertTrue(processes.text().contains("\n" + ProcessHandle.current().pid() + " ") ||
            processes.text().startsWith(ProcessHandle.current().pid() + " "));
    }

    @Test
    void aProgramThatIsNotInstalledIsAbsent()
    {
        assertNull(LocalHostView.findExecutable("jlvs-doctor-no-such-program"));
    }

    @Test
    void filesAreReadThroughTheGivenReader()
    {
        final LocalHostView view = LocalHostView.builder()
            .fileReader(path -> { throw new NoSuchFileException(path.toString()); })
            .commandPrefix(List.of())
            .build();

        assertEquals(Reading.Status.ABSENT, view.sysctl("net/ipv4/ip_forward").status());
        assertEquals(Reading.Status.ABSENT, view.packetSocketProbe("eth0").status());
    }

    @Test
    void theProbeGivenAnswersForThePacketSocket()
    {
        final LocalHostView view = LocalHostView.builder()
            .packetSocketProbe(name -> Reading.failed("ENODEV: no interface " + name))
            .build();

        assertEquals(Reading.failed("ENODEV: no interface eth9"), view.packetSocketProbe("eth9"));
    }
}
