package io.jlvs.cli.ipvsadm;

import io.jlvs.cli.ConfigMapper;
import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ipvsadm's edits on the services of a keepalived.conf: what changes, what stays (health checks), the errors. */
class ServiceEditsTest
{
    private static final String CONF =
        "virtual_server 198.18.0.100 80 {\n" +
        "    lb_algo wrr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    persistence_timeout 300\n" +
        "    real_server 198.18.0.101 80 {\n" +
        "        weight 3\n" +
        "        TCP_CHECK {\n" +
        "            connect_timeout 2\n" +
        "        }\n" +
        "    }\n" +
        "    real_server 198.18.0.102 80 {\n" +
        "        weight 2\n" +
        "    }\n" +
        "}\n" +
        "virtual_server_group web {\n" +
        "    198.18.0.110 80\n" +
        "    198.18.0.111 80\n" +
        "}\n" +
        "virtual_server group web {\n" +
        "    lb_algo rr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    real_server 198.18.0.121 80 {\n" +
        "    }\n" +
        "}\n";

    @Test
    void addServiceAppendsAnEmptyServiceWithTheGivenScheduling() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-A -t 198.18.0.100:443 -s sh -b sh-port -p 60");

        assertEquals(3, after.size());
        final VirtualServiceSpec added = after.get(2).spec();
        assertEquals(List.of(new VirtualAddress(Ipv4.parse("198.18.0.100"), 443)), added.addresses());
        assertEquals("sh", added.scheduler());
        assertEquals(60, added.persistenceTimeoutSeconds());
        assertEquals(List.of(), added.realServers());
        assertEquals(ServiceEdits.RUNTIME, after.get(2).config().file());
    }

    @Test
    void addingAServiceThatExistsIsRefused() throws ConfigException
    {
        assertEquals("Service already exists: TCP 198.18.0.100:80", refused(services(), "-A -t 198.18.0.100:80"));
        // One pair of a group is that service.
        assertEquals("Service already exists: TCP 198.18.0.111:80", refused(services(), "-A -t 198.18.0.111:80"));
    }

    @Test
    void addingAFwmarkServiceIsRefusedWithWhyAndWhere() throws ConfigException
    {
        assertTrue(refused(services(), "-A -f 3 -s rr").startsWith("jlvs has no netfilter marks"));
    }

    @Test
    void editServiceReplacesSchedulingAndLeavesOutPersistenceWhenNotGiven() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-E -t 198.18.0.100:80 -s lc");

        final VirtualServiceSpec edited = after.get(0).spec();
        assertEquals("lc", edited.scheduler());
        assertEquals(0, edited.persistenceTimeoutSeconds(), "ipvsadm -E without -p: not persistent");
        assertEquals(services().get(0).spec().realServers(), edited.realServers());
        assertEquals("lc", after.get(0).config().scheduler());
    }

    @Test
    void addServerAddsOneWithoutChecksAndKeepsTheOthersChecks() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-a -t 198.18.0.100:80 -r 198.18.0.103 -w 4 -x 100");

        final MonitoredService service = after.get(0);
        assertEquals(new RealServerSpec(Ipv4.parse("198.18.0.103"), 80, 4, 100, 0,
            io.jlvs.dataplane.service.ForwardingMethod.ROUTE), service.spec().realServers().get(2));
        assertEquals(List.of(), service.config().realServers().get(2).checks());
        assertEquals(1, service.config().realServers().get(0).checks().size());
    }

    @Test
    void addServerToAGroupAddsItForEveryPairOfTheGroup() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-a -t 198.18.0.111:80 -r 198.18.0.122");

        assertEquals(2, after.get(1).spec().addresses().size());
        assertEquals(2, after.get(1).spec().realServers().size());
    }

    @Test
    void addingAServerTwiceIsRefused() throws ConfigException
    {
        assertEquals("Destination already exists: 198.18.0.101:80 in TCP 198.18.0.100:80",
            refused(services(), "-a -t 198.18.0.100:80 -r 198.18.0.101:80"));
    }

    @Test
    void editServerSetsWeightAndThresholdsAndKeepsTheServersChecks() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-e -t 198.18.0.100:80 -r 198.18.0.101 -w 7 -y 5");

        final RealServerSpec edited = after.get(0).spec().realServers().get(0);
        assertEquals(7, edited.weight());
        assertEquals(5, edited.lowerThreshold());
        assertEquals(1, after.get(0).config().realServers().get(0).checks().size(), "its TCP_CHECK stays");
        assertEquals(7, after.get(0).config().realServers().get(0).weight());
    }

    @Test
    void editServerWithoutWeightSetsItToOneAsIpvsadmDoes() throws ConfigException
    {
        assertEquals(1, apply(services(), "-e -t 198.18.0.100:80 -r 198.18.0.101").get(0).spec().realServers()
            .get(0).weight());
    }

    @Test
    void deleteServerRemovesItFromSpecAndConfigurationAlike() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-d -t 198.18.0.100:80 -r 198.18.0.101");

        assertEquals(List.of(Ipv4.parse("198.18.0.102")),
            after.get(0).spec().realServers().stream().map(RealServerSpec::address).toList());
        assertEquals(1, after.get(0).config().realServers().size());
    }

    @Test
    void deletingWhatIsNotThereIsRefused() throws ConfigException
    {
        assertEquals("No such destination: 198.18.0.109:80 in TCP 198.18.0.100:80",
            refused(services(), "-d -t 198.18.0.100:80 -r 198.18.0.109"));
        assertEquals("No such service: TCP 198.18.0.100:81", refused(services(), "-D -t 198.18.0.100:81"));
        assertEquals("No such service: UDP 198.18.0.100:80", refused(services(), "-e -u 198.18.0.100:80 -r " +
            "198.18.0.101"));
    }

    @Test
    void deleteServiceOfOnePairOfAGroupKeepsTheOtherPair() throws ConfigException
    {
        final List<MonitoredService> after = apply(services(), "-D -t 198.18.0.110:80");

        assertEquals(2, after.size());
        assertEquals(List.of(new VirtualAddress(Ipv4.parse("198.18.0.111"), 80)), after.get(1).spec().addresses());
        assertEquals(1, after.get(1).config().addresses().size());

        final List<MonitoredService> gone = apply(after, "-D -t 198.18.0.111:80");
        assertEquals(1, gone.size());
    }

    @Test
    void clearRemovesEverything() throws ConfigException
    {
        assertEquals(List.of(), apply(services(), "-C"));
    }

    @Test
    void theGivenListIsNeverChanged() throws ConfigException
    {
        final List<MonitoredService> before = services();

        apply(before, "-a -t 198.18.0.100:80 -r 198.18.0.103");
        apply(before, "-D -t 198.18.0.100:80");

        assertEquals(services(), before);
    }

    private static List<MonitoredService> apply(final List<MonitoredService> services, final String line)
    {
        return ServiceEdits.apply(services, IpvsadmCommand.parseLine(line));
    }

    private static String refused(final List<MonitoredService> services, final String line)
    {
        return assertThrows(IllegalArgumentException.class, () -> apply(services, line)).getMessage();
    }

    static List<MonitoredService> services() throws ConfigException
    {
        return services(CONF);
    }

    static List<MonitoredService> services(final String text) throws ConfigException
    {
        final DirectorConfig config = KeepalivedConfig.parse(text, "keepalived.conf");
        return MonitoredService.pair(config.services(), ConfigMapper.map(config).specs());
    }
}
