package io.jlvs.cli.ipvsadm;

import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.SchedulerFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ipvsadm's command lines, read with ipvsadm's flag letters, defaults and error messages (ipvsadm.c). */
class IpvsadmCommandTest
{
    private static final int VIP = Ipv4.parse("198.18.0.100");
    private static final int RS = Ipv4.parse("198.18.0.101");

    @Test
    void readsAPersistentServiceWithSchedulerNetmaskAndFlags()
    {
        final IpvsadmCommand command =
            parse("-A -t 198.18.0.100:80 -s sh -p 300 -M 255.255.255.0 -b sh-fallback,sh-port");

        assertEquals(IpvsadmCommand.Verb.ADD_SERVICE, command.verb());
        assertEquals(new ServiceAddress(VirtualServiceSpec.TCP, VIP, 80, 0), command.service());
        assertEquals("sh", command.scheduler());
        assertEquals(300, command.persistenceTimeoutSeconds());
        assertEquals(Ipv4.parse("255.255.255.0"), command.persistenceNetmask());
        assertEquals(SchedulerFlags.SH_FALLBACK | SchedulerFlags.SH_PORT, command.schedulerFlags());
        assertEquals("-A -t 198.18.0.100:80 -s sh -b sh-fallback,sh-port -p 300 -M 255.255.255.0",
            command.toArgs());
    }

    @Test
    void aServiceWithoutSchedulerIsWlcAndABarePIs360Seconds()
    {
        final IpvsadmCommand command = parse("-A -u 198.18.0.100:53 -p -M 255.255.0.0");

        assertEquals("wlc", command.scheduler());
        assertEquals(VirtualServiceSpec.UDP, command.service().protocol());
        assertEquals(IpvsadmCommand.DEFAULT_PERSISTENCE_SECONDS, command.persistenceTimeoutSeconds());
        assertEquals(Ipv4.parse("255.255.0.0"), command.persistenceNetmask());
        assertEquals("-A -u 198.18.0.100:53 -s wlc -p 360 -M 255.255.0.0", command.toArgs());
    }

    @Test
    void aBarePAtTheEndOfTheLineIsPersistentToo()
    {
        assertEquals(360, parse("-E -t 198.18.0.100:443 -s rr -p").persistenceTimeoutSeconds());
    }

    @Test
    void readsLongOptionsWithOrWithoutEquals()
    {
        final IpvsadmCommand command = IpvsadmCommand.parse(List.of("--add-server", "--tcp-service=198.18.0.100:80",
            "--real-server", "198.18.0.101", "--gatewaying", "--weight=3", "--u-threshold", "100",
            "--l-threshold=50"));

        assertEquals("-a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 3 -x 100 -y 50", command.toArgs());
    }

    @Test
    void aRealServerTakesTheServicePortWeightOneAndDirectRoutingByDefault()
    {
        final IpvsadmCommand command = parse("-a -t 198.18.0.100:80 -r 198.18.0.101");

        assertEquals(RS, command.serverAddress());
        assertEquals(80, command.serverPort());
        assertEquals(1, command.weight());
        assertEquals(ForwardingMethod.ROUTE, command.method());
        assertEquals("-a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 1", command.toArgs());
    }

    @Test
    void aRealServerPortOtherThanTheServicesIsTheServicesInDirectRouting()
    {
        // ipvsadm forces it: DR and TUN cannot rewrite the port.
        assertEquals(80, parse("-e -t 198.18.0.100:80 -r 198.18.0.101:8080 -w 2").serverPort());
    }

    @Test
    void ipipIsReadAsTunnel()
    {
        final IpvsadmCommand command = parse("-a -t 198.18.0.100:80 -r 198.18.0.101:80 -i -w 2");

        assertEquals(ForwardingMethod.TUNNEL, command.method());
        assertEquals("-a -t 198.18.0.100:80 -r 198.18.0.101:80 -i -w 2", command.toArgs());
    }

    @Test
    void fwmarkServicesAndTheirServersKeepTheGivenPort()
    {
        final IpvsadmCommand command = parse("-a -f 1 -r 198.18.0.101 -w 5");

        assertEquals(1, command.service().fwmark());
        assertEquals(0, command.serverPort());
        assertEquals("-a -f 1 -r 198.18.0.101:0 -g -w 5", command.toArgs());
    }

    @Test
    void zeroWithAndWithoutAServiceAndClear()
    {
        assertNull(parse("-Z").service());
        assertEquals("-Z -t 198.18.0.100:80", parse("-Z -t 198.18.0.100:80").toArgs());
        assertEquals("-C", parse("-C").toArgs());
        assertEquals("-D -u 198.18.0.100:53", parse("--delete-service -u 198.18.0.100:53").toArgs());
        assertEquals("-d -t 198.18.0.100:80 -r 198.18.0.101:80", parse("-d -t 198.18.0.100:80 -r 198.18.0.101")
            .toArgs());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-a -t 198.18.0.100:80 -w 3|You need to supply the 'real-server' option for the 'add-server' command",
        "-A -s rr|You need to supply the 'service-address' option for the 'add-service' command",
        "-A -t 198.18.0.100:80 -w 3|Illegal 'weight' option with the 'add-service' command",
        "-D -t 198.18.0.100:80 -s rr|Illegal 'scheduler' option with the 'delete-service' command",
        "-d -t 198.18.0.100:80 -r 198.18.0.101 -w 2|Illegal 'weight' option with the 'delete-server' command",
        "-C -t 198.18.0.100:80|Illegal 'service-address' option with the 'clear' command",
        "-A -t 198.18.0.100:80 -u 198.18.0.100:53|multiple 'service-address' options specified",
        "-a -t 198.18.0.100:80 -r 198.18.0.101 -g -i|multiple 'forwarding-method' options specified",
        "-A -t 198.18.0.100:80 -E|multiple commands specified",
        "-A -t 198.18.0.100|Zero port specified for non-persistent service",
        "-A -t 198.18.0.100:80 -p 0|invalid timeout value `0' specified",
        "-A -t 198.18.0.100:80 -p 2678401|invalid timeout value `2678401' specified",
        "-a -t 198.18.0.100:80 -r 198.18.0.101 -w 65536|illegal weight specified: '65536'",
        "-a -t 198.18.0.100:80 -r 198.18.0.101 -x -1|illegal u_threshold specified: '-1'",
        "-A -t 198.18.0.100:80 -M 255.255.255|illegal virtual server persistent mask specified: '255.255.255'",
        "-A -f 0|invalid fwmark value `0' specified",
        "-A -t 198.18.0.100:80 -q|invalid option `-q'",
        "-A -t 198.18.0.100:80 extra|unexpected argument extra",
        "-L -n|expected a command (-A -E -D -C -a -e -d -Z) first, found '-L'",
        "-A -t 198.18.0.100:80 -s|option -s needs an argument"})
    void refusesWhatIpvsadmRefusesWithItsMessage(final String line, final String message)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> parse(line));

        assertEquals(message, error.getMessage());
    }

    @Test
    void namesWhatJlvsDoesNotDo()
    {
        assertEquals("masquerading (-m, NAT) is not supported: jlvs forwards by direct routing (-g), the real " +
            "servers answer the clients themselves",
            assertThrows(IllegalArgumentException.class,
                () -> parse("-a -t 198.18.0.100:80 -r 198.18.0.101 -m")).getMessage());
        assertEquals("one-packet scheduling (-o, --ops) is not implemented by jlvs",
            assertThrows(IllegalArgumentException.class, () -> parse("-A -u 198.18.0.100:53 -o")).getMessage());
        assertEquals("illegal virtual server address[:port] specified: '198.18.0.100:http' (ports are numeric: " +
            "save with ipvsadm -S -n)",
            assertThrows(IllegalArgumentException.class, () -> parse("-A -t 198.18.0.100:http")).getMessage());
        assertEquals("illegal real server address[:port] specified: 'web1:80' (jlvs takes numeric IPv4 addresses " +
            "only)", assertThrows(IllegalArgumentException.class,
                () -> parse("-a -t 198.18.0.100:80 -r web1:80")).getMessage());
        assertEquals(true, assertThrows(IllegalArgumentException.class,
            () -> parse("-A -t 198.18.0.100:80 -s fastest")).getMessage().startsWith("unknown scheduler 'fastest'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-A -t 198.18.0.100:80 -s wrr",
        "-A -t 198.18.0.100:0 -s rr -p 600 -M 255.255.255.0",
        "-E -u 198.18.0.100:53 -s mh -b mh-fallback,mh-port",
        "-A -t 198.18.0.100:80 -s rr -b flag-1",
        "-D -t 198.18.0.100:80",
        "-a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 0",
        "-e -t 198.18.0.100:80 -r 198.18.0.101:80 -i -w 3 -x 10 -y 5",
        "-d -f 7 -r 198.18.0.101:0",
        "-Z -f 7",
        "-C"})
    void whatItWritesReadsBackToTheSameCommand(final String line)
    {
        final IpvsadmCommand command = parse(line);

        assertEquals(line, command.toArgs());
        assertEquals(command, parse(command.toArgs()));
    }

    @Test
    void blankLinesAndCommentsAreNothing()
    {
        assertNull(IpvsadmCommand.parseLine("   "));
        assertNull(IpvsadmCommand.parseLine("# saved by jlvs"));
        assertEquals(IpvsadmCommand.Verb.CLEAR, IpvsadmCommand.parseLine("  -C  ").verb());
    }

    private static IpvsadmCommand parse(final String line)
    {
        return IpvsadmCommand.parse(List.of(line.trim().split("\\s+")));
    }
}
