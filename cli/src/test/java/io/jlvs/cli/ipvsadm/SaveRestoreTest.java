package io.jlvs.cli.ipvsadm;

import io.jlvs.cli.listing.DirectorSnapshot;
import io.jlvs.cli.listing.Listing;
import io.jlvs.cli.listing.ServerStatistics;
import io.jlvs.config.ConfigException;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.healthcheck.MonitoredService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code save} prints ipvsadm -S -n; {@code restore} reads it back, all or nothing. */
class SaveRestoreTest
{
    private static final String SAVED =
        "-A -t 198.18.0.100:80 -s wrr -p 300\n" +
        "-a -t 198.18.0.100:80 -r 198.18.0.101:80 -g -w 3\n" +
        "-a -t 198.18.0.100:80 -r 198.18.0.102:80 -g -w 2\n" +
        "-A -t 198.18.0.110:80 -s rr\n" +
        "-a -t 198.18.0.110:80 -r 198.18.0.121:80 -g -w 1\n" +
        "-A -t 198.18.0.111:80 -s rr\n" +
        "-a -t 198.18.0.111:80 -r 198.18.0.121:80 -g -w 1\n";

    @Test
    void savePrintsEachServiceAndItsServersAsIpvsadmDoes() throws ConfigException
    {
        // The group's two pairs are two IPVS services, as keepalived installs them.
        assertEquals(SAVED, save(ServiceEditsTest.services()));
    }

    @Test
    void saveWritesFlagsNetmaskThresholdsAndTunnelsAndSortsAsTheListing() throws ConfigException
    {
        final List<MonitoredService> services = Restore.apply(List.of(),
            "-A -u 198.18.0.100:53 -s sh -b sh-port -p 60 -M 255.255.255.0\n" +
            "-a -u 198.18.0.100:53 -r 198.18.0.12 -w 0 -x 100 -y 50\n" +
            "-a -u 198.18.0.100:53 -r 198.18.0.11 -i -w 4\n" +
            "-A -t 198.18.0.100:53 -s rr\n");

        assertEquals(
            "-A -t 198.18.0.100:53 -s rr\n" +
            "-A -u 198.18.0.100:53 -s sh -b sh-port -p 60 -M 255.255.255.0\n" +
            "-a -u 198.18.0.100:53 -r 198.18.0.11:53 -i -w 4\n" +
            "-a -u 198.18.0.100:53 -r 198.18.0.12:53 -g -w 0 -x 100 -y 50\n",
            SaveFormat.save(listing(specs(services), false)));
    }

    @Test
    void whatSaveWritesRestoresToTheSameTable() throws ConfigException
    {
        final String saved = save(ServiceEditsTest.services());

        final List<MonitoredService> restored = Restore.apply(List.of(), "# from jlvs save\n\n" + saved);

        assertEquals(saved, save(restored));
    }

    @Test
    void restoreWithClearFirstReplacesTheServices() throws ConfigException
    {
        final List<MonitoredService> restored = Restore.apply(ServiceEditsTest.services(),
            "-C\n-A -t 198.18.0.200:80 -s lc\n-a -t 198.18.0.200:80 -r 198.18.0.201 -w 2\n");

        assertEquals("-A -t 198.18.0.200:80 -s lc\n-a -t 198.18.0.200:80 -r 198.18.0.201:80 -g -w 2\n",
            save(restored));
    }

    @Test
    void restoreAddsToTheRunningServicesAsIpvsadmDoesSoASecondCopyIsRefused() throws ConfigException
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Restore.apply(ServiceEditsTest.services(), SAVED));

        assertEquals("line 1: -A -t 198.18.0.100:80 -s wrr -p 300: Service already exists: TCP 198.18.0.100:80",
            error.getMessage());
    }

    @Test
    void theFirstBadLineStopsTheRestoreNamingItsNumberAndNothingIsReturned() throws ConfigException
    {
        final List<MonitoredService> before = ServiceEditsTest.services();

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Restore.apply(before, "-A -t 198.18.0.200:80 -s rr\n" +
                "-a -t 198.18.0.200:80 -r 198.18.0.201\n" +
                "-a -t 198.18.0.200:80 -r 198.18.0.202 -w heavy\n"));

        assertEquals("line 3: -a -t 198.18.0.200:80 -r 198.18.0.202 -w heavy: illegal weight specified: 'heavy'",
            error.getMessage());
        assertEquals(ServiceEditsTest.services(), before);
    }

    @Test
    void aPairAFwmarkServiceOfTheFileAnswersOnIsRefusedAtItsLine() throws ConfigException
    {
        final List<MonitoredService> fwmark = ServiceEditsTest.services(
            "virtual_server fwmark 1 {\n" +
            "    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n    persistence_timeout 600\n" +
            "    jlvs_match 198.18.0.100:80 198.18.0.100:443\n" +
            "    real_server 198.18.0.101 0 {\n    }\n" +
            "}\n");

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> Restore.apply(fwmark, "-A -t 198.18.0.200:80 -s rr\n-A -t 198.18.0.100:443 -s rr\n"));

        assertEquals("line 2: -A -t 198.18.0.100:443 -s rr: TCP 198.18.0.100:443 is already served by FWM 1 wrr",
            error.getMessage());
    }

    @Test
    void aTunnelledServerIsTakenAndSavedWithIpip()
    {
        final List<MonitoredService> restored =
            Restore.apply(List.of(), "-A -t 198.18.0.200:80 -s rr\n-a -t 198.18.0.200:80 -r 198.18.0.201 -i\n");

        assertEquals("-A -t 198.18.0.200:80 -s rr\n-a -t 198.18.0.200:80 -r 198.18.0.201:80 -i -w 1\n",
            save(restored));
    }

    @Test
    void zeroHasNoPlaceInARestore()
    {
        assertEquals("line 1: -Z: -Z zeroes counters; it has no place in a restore",
            assertThrows(IllegalArgumentException.class, () -> Restore.apply(List.of(), "-Z\n")).getMessage());
    }

    private static String save(final List<MonitoredService> services)
    {
        return SaveFormat.save(listing(specs(services), false));
    }

    private static List<VirtualServiceSpec> specs(final List<MonitoredService> services)
    {
        final List<VirtualServiceSpec> specs = new ArrayList<>();
        for (final MonitoredService service : services)
        {
            specs.add(service.spec());
        }
        return specs;
    }

    /** The listing of a table built from {@code specs}, as a director running them would give it. */
    static Listing listing(final List<VirtualServiceSpec> specs, final boolean unused)
    {
        final ServiceTable table = new ServiceTableBuilder().build(specs, ServiceTable.EMPTY);
        return new Listing(0, "eth0", DirectorSnapshot.services(table, new ServerStatistics()), 0, 0, 0, List.of(),
            List.of(), List.of(), List.of());
    }
}
