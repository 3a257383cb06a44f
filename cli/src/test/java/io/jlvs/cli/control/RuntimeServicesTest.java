package io.jlvs.cli.control;

import io.jlvs.cli.ConfigMapper;
import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.healthcheck.MonitoredService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeServicesTest
{
    private static final String ONE = "virtual_server 198.18.0.100 80 {\n" +
        "    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n" +
        "    real_server 198.18.0.101 80 {\n        weight 3\n    }\n" +
        "}\n";
    private static final String TWO = ONE +
        "virtual_server 198.18.0.100 443 {\n" +
        "    lb_algo rr\n    lb_kind DR\n    protocol TCP\n" +
        "    real_server 198.18.0.102 443 {\n    }\n" +
        "}\n";

    private final List<List<MonitoredService>> published = new ArrayList<>();

    @Test
    void replaceHandsTheWholeListToTheMonitorAndKeepsIt() throws ConfigException
    {
        final RuntimeServices services = new RuntimeServices(parse(ONE), published::add, list -> { });

        final List<MonitoredService> two = parse(TWO);
        services.replace(two);

        assertEquals(List.of(two), published);
        assertEquals(two, services.current());
        assertEquals(2, services.currentSpecs().size());
    }

    @Test
    void aListTheDirectorWouldRefuseNeverReachesTheMonitor() throws ConfigException
    {
        final RuntimeServices services = new RuntimeServices(parse(ONE), published::add, list -> { });
        final MonitoredService good = parse(ONE).get(0);
        final VirtualServiceSpec spec = good.spec();
        final MonitoredService unknownScheduler = new MonitoredService(new VirtualServiceSpec(spec.protocol(),
            spec.addresses(), 0, "no-such", spec.schedulerFlags(), 0, spec.persistenceNetmask(),
            spec.realServers()), good.config());

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> services.replace(List.of(unknownScheduler)));

        assertTrue(error.getMessage().contains("unknown scheduler 'no-such'"), error.getMessage());
        assertEquals(List.of(), published);
        assertEquals(parse(ONE), services.current());
    }

    @Test
    void theExtraCheckRefusesBeforeTheMonitorSeesAnything() throws ConfigException
    {
        final RuntimeServices services = new RuntimeServices(parse(ONE), published::add, list ->
        {
            throw new IllegalArgumentException("a real server is this host");
        });

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> services.replace(parse(TWO)));

        assertEquals("a real server is this host", error.getMessage());
        assertEquals(List.of(), published);
    }

    @Test
    void aListTheMonitorRefusesIsRolledBackToThePreviousOne() throws ConfigException
    {
        final List<MonitoredService> one = parse(ONE);
        final List<MonitoredService> two = parse(TWO);
        final RuntimeServices services = new RuntimeServices(one, list ->
        {
            published.add(list);
            if (list.size() == 2)
            {
                throw new IllegalStateException("cannot set up Local forwarding");
            }
        }, list -> { });

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> services.replace(two));

        assertEquals("cannot set up Local forwarding", error.getMessage());
        assertEquals(List.of(two, one), published);
        assertEquals(one, services.current());
    }

    @Test
    void editAppliesTheFunctionToTheCurrentList() throws ConfigException
    {
        final RuntimeServices services = new RuntimeServices(parse(TWO), published::add, list -> { });

        services.edit(list -> list.subList(1, 2));

        assertEquals(1, services.current().size());
        assertEquals(443, services.current().get(0).spec().addresses().get(0).port());
    }

    private static List<MonitoredService> parse(final String text) throws ConfigException
    {
        final DirectorConfig config = KeepalivedConfig.parse(text, "keepalived.conf");
        return MonitoredService.pair(config.services(), ConfigMapper.map(config).specs());
    }
}
