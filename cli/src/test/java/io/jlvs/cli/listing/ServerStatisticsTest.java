package io.jlvs.cli.listing;

import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;
import io.jlvs.scheduler.RealServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rate estimator on a fake clock against numbers worked out by hand from ip_vs_est.c: every 2 s,
 * {@code avg += ((growth << 9) - avg) >> 2} for counts (scaled by 2^10 per second), {@code << 4} for bytes (2^5), and
 * decoded as {@code (avg + 0x1FF) >> 10} and {@code (avg + 0xF) >> 5}. And zero's baseline.
 */
class ServerStatisticsTest
{
    private static final long TWO_SECONDS = TimeUnit.SECONDS.toNanos(2);
    /** Traffic per 2 seconds on each server: 50 connections, 500 packets and 32000 bytes a second. */
    private static final int CONNECTIONS = 100;
    private static final int PACKETS = 1000;
    private static final int PACKET_BYTES = 64;
    /** Enough 2-second steps for the average to settle within the rounding: the gap shrinks by a quarter a step. */
    private static final int SETTLING_STEPS = 80;

    private ServiceTable table;
    private RealServer first;
    private RealServer second;
    private ServerStatistics statistics;
    private long nowNs;

    @BeforeEach
    void buildTable()
    {
        table = new ServiceTableBuilder().build(List.of(VirtualServiceSpec.of(VirtualServiceSpec.TCP,
            Ipv4.parse("198.18.0.100"), 80, "rr", List.of(RealServerSpec.route(Ipv4.parse("198.18.0.101"), 80, 1),
                RealServerSpec.route(Ipv4.parse("198.18.0.102"), 80, 1)))), ServiceTable.EMPTY);
        first = table.services().get(0).servers()[0];
        second = table.services().get(0).servers()[1];
        statistics = new ServerStatistics();
        // Any origin: the estimator only looks at differences.
        nowNs = 1_234_567_890L;
        statistics.sample(table, nowNs);
    }

    @Test
    void aNewServerStartsAtRateZero()
    {
        traffic(first, 1);

        assertEquals(Rates.ZERO, statistics.rates(first));
    }

    @Test
    void theAverageMovesAQuarterOfTheWayEachTwoSecondsAsTheKernelComputesIt()
    {
        // 100 conns in 2 s: rate = 100 << 9 = 51200; avg = 0 + (51200 >> 2) = 12800; (12800 + 511) >> 10 = 12.
        // 1000 packets: 512000 -> 128000 -> 125. 64000 bytes: 64000 << 4 = 1024000 -> 256000 -> (256000+15) >> 5.
        step(first, 1);
        assertEquals(new Rates(12, 125, 0, 8000, 0), statistics.rates(first));
        // avg = 12800 + (38400 >> 2) = 22400 -> 22; 128000 + 96000 = 224000 -> 219; 256000 + 192000 -> 14000.
        step(first, 1);
        assertEquals(new Rates(22, 219, 0, 14000, 0), statistics.rates(first));
        // 22400 + 7200 = 29600 -> 29; 224000 + 72000 = 296000 -> 289; 448000 + 144000 = 592000 -> 18500.
        step(first, 1);
        assertEquals(new Rates(29, 289, 0, 18500, 0), statistics.rates(first));
    }

    @Test
    void aSteadyLoadSettlesOnItsRate()
    {
        for (int i = 0; i < SETTLING_STEPS; i++)
        {
            step(first, 1);
        }

        assertEquals(new Rates(50, 500, 0, 32000, 0), statistics.rates(first));
    }

    @Test
    void aLateSampleCountsItsGrowthOverTheTimeThatReallyPassed()
    {
        // Twice the traffic over twice the time: the same rate as one on-time step.
        traffic(first, 2);
        nowNs += 2 * TWO_SECONDS;
        statistics.sample(table, nowNs);

        assertEquals(new Rates(12, 125, 0, 8000, 0), statistics.rates(first));
    }

    @Test
    void aSampleTooSoonAfterTheLastIsSkippedAndTheNextCountsTheWholeGrowth()
    {
        traffic(first, 1);
        statistics.sample(table, nowNs + TWO_SECONDS / 4);
        assertEquals(Rates.ZERO, statistics.rates(first));

        nowNs += TWO_SECONDS;
        statistics.sample(table, nowNs);
        assertEquals(new Rates(12, 125, 0, 8000, 0), statistics.rates(first));
    }

    @Test
    void aServicesRatesAreItsServersTogether()
    {
        for (int i = 0; i < SETTLING_STEPS; i++)
        {
            traffic(second, 1);
            step(first, 1);
        }

        final ServiceRow row = DirectorSnapshot.services(table, statistics).get(0);

        assertEquals(new Rates(100, 1000, 0, 64000, 0), row.rates());
        assertEquals(new Rates(50, 500, 0, 32000, 0), row.servers().get(1).rates());
    }

    @Test
    void zeroStartsTheTotalsAndTheRatesFromZeroWhileTheCountersGoOn()
    {
        step(first, 1);
        step(first, 1);

        statistics.zero(List.of(first));

        assertEquals(Stats.ZERO, statistics.totals(first));
        assertEquals(Rates.ZERO, statistics.rates(first));
        assertEquals(2L * CONNECTIONS, first.connections(), "the dataplane's own counter is untouched");
        step(first, 1);
        assertEquals(new Stats(CONNECTIONS, PACKETS, 0, (long)PACKETS * PACKET_BYTES, 0), statistics.totals(first));
        assertEquals(new Rates(12, 125, 0, 8000, 0), statistics.rates(first), "one step from zero, as at start");
        assertEquals(new Stats(0, 0, 0, 0, 0), statistics.totals(second));
    }

    @Test
    void aServerThatLeavesTheTableIsForgotten()
    {
        step(first, 1);
        statistics.zero(List.of(first));

        final ServiceTable without = new ServiceTableBuilder().build(List.of(VirtualServiceSpec.of(
            VirtualServiceSpec.TCP, Ipv4.parse("198.18.0.100"), 80, "rr",
            List.of(RealServerSpec.route(Ipv4.parse("198.18.0.102"), 80, 1)))), ServiceTable.EMPTY);
        statistics.sample(without, nowNs + TWO_SECONDS);

        assertEquals(Rates.ZERO, statistics.rates(first));
        assertEquals(new Stats(CONNECTIONS, PACKETS, 0, (long)PACKETS * PACKET_BYTES, 0), statistics.totals(first),
            "no baseline left for it");
    }

    @Test
    void totalsAndRatesCountTheTrafficOfEveryForwardingWorker()
    {
        // Two workers keep their own cells for each server; the listing reads their sums.
        final int workers = 2;
        table = new ServiceTableBuilder(workers).build(List.of(VirtualServiceSpec.of(VirtualServiceSpec.TCP,
            Ipv4.parse("198.18.0.100"), 80, "rr", List.of(RealServerSpec.route(Ipv4.parse("198.18.0.101"), 80, 1)))),
            ServiceTable.EMPTY);
        final RealServer server = table.services().get(0).servers()[0];
        statistics.sample(table, nowNs);

        // One period's traffic, half of it on each worker: the same numbers as one worker carrying it all.
        for (int w = 0; w < workers; w++)
        {
            for (int i = 0; i < CONNECTIONS / workers; i++)
            {
                server.countConnection(w);
            }
            for (int i = 0; i < PACKETS / workers; i++)
            {
                server.countForwarded(w, PACKET_BYTES);
            }
        }
        nowNs += TWO_SECONDS;
        statistics.sample(table, nowNs);

        assertEquals(new Stats(CONNECTIONS, PACKETS, 0, (long)PACKETS * PACKET_BYTES, 0), statistics.totals(server));
        assertEquals(new Rates(12, 125, 0, 8000, 0), statistics.rates(server));
    }

    /** {@code periods} 2-second periods' worth of traffic on {@code server}, then one sample 2 s later. */
    private void step(final RealServer server, final int periods)
    {
        traffic(server, periods);
        nowNs += TWO_SECONDS;
        statistics.sample(table, nowNs);
    }

    private static void traffic(final RealServer server, final int periods)
    {
        for (int i = 0; i < CONNECTIONS * periods; i++)
        {
            server.countConnection();
        }
        for (int i = 0; i < PACKETS * periods; i++)
        {
            server.countForwarded(PACKET_BYTES);
        }
    }
}
