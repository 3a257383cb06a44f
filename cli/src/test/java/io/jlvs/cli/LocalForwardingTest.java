package io.jlvs.cli;

import io.jlvs.config.ConfigException;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalForwardingTest
{
    private static final String FILE = "keepalived.conf";
    private static final int HOST = Ipv4.parse("198.18.0.2");
    private static final String CONFIG =
        "virtual_server 198.18.0.100 80 {\n" +
        "    lb_algo rr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    real_server 198.18.0.101 80 {\n" +
        "    }\n" +
        "    real_server 198.18.0.2 80 {\n" +
        "        weight 2\n" +
        "    }\n" +
        "}\n";

    @Test
    void aRealServerAtAHostAddressWithoutNftIsRefusedAtItsLineSayingWhatToDo() throws ConfigException
    {
        final LocalForwarding local = new LocalForwarding(new int[] {Ipv4.parse("10.0.0.1"), HOST}, false);

        final IllegalArgumentException error =
            assertThrows(IllegalArgumentException.class, () -> local.check(services(CONFIG)));

        assertTrue(error.getMessage().startsWith(FILE + ":7:1: real_server 198.18.0.2 80 of virtual_server " +
            "198.18.0.100:80 TCP is this host's own address"), error.getMessage());
        assertTrue(error.getMessage().contains("needs nft") && error.getMessage().endsWith("install nftables, or " +
            "remove that real_server"), error.getMessage());
    }

    @Test
    void withNftTheSameConfigurationPasses() throws ConfigException
    {
        final LocalForwarding local = new LocalForwarding(new int[] {HOST}, true);

        assertDoesNotThrow(() -> local.check(services(CONFIG)));
        assertTrue(local.available());
        assertEquals(HOST, local.addresses()[0]);
    }

    @Test
    void realServersElsewherePassWithoutNft() throws ConfigException
    {
        final LocalForwarding local = new LocalForwarding(new int[] {Ipv4.parse("198.18.0.3")}, false);

        assertDoesNotThrow(() -> local.check(services(CONFIG)));
    }

    @Test
    void hostAddressesLeaveLoopbackOut() throws SocketException
    {
        for (final int address : LocalForwarding.hostAddresses())
        {
            assertTrue(address >>> 24 != 127, Ipv4.toString(address));
        }
    }

    private static List<MonitoredService> services(final String text) throws ConfigException
    {
        final DirectorConfig config = KeepalivedConfig.parse(text, FILE);
        return MonitoredService.pair(config.services(), ConfigMapper.map(config).specs());
    }
}
