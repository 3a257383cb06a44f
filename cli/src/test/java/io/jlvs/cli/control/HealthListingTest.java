package io.jlvs.cli.control;

import io.jlvs.cli.ConfigMapper;
import io.jlvs.config.DirectorConfig;
import io.jlvs.config.KeepalivedConfig;
import io.jlvs.config.TcpCheck;
import io.jlvs.dataplane.Director;
import io.jlvs.dataplane.DirectorOptions;
import io.jlvs.dataplane.transport.MemoryTransport;
import io.jlvs.healthcheck.CheckOutcome;
import io.jlvs.healthcheck.CheckScheduler;
import io.jlvs.healthcheck.HealthMonitor;
import io.jlvs.healthcheck.HealthMonitorOptions;
import io.jlvs.healthcheck.MonitoredService;
import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code list} shows what the director really runs once health checks have acted, as {@code ipvsadm -L -n} shows the
 * table after keepalived acted: a failed server is gone, or at weight 0 with {@code inhibit_on_failure}, and back when
 * it passes again. Checks are scripted and run on a manual clock: no test waits for a check.
 */
class HealthListingTest
{
    private static final long TIMEOUT_MS = 5_000;
    private static final int CAPACITY = 4096;
    /** delay_loop 1 s, retry 1 with delay_before_retry 1 s: down after the second failed attempt. */
    private static final long STEP_MS = 1_000;
    private static final int STEPS_TO_SETTLE = 5;
    private static final String CONF =
        "virtual_server 198.18.0.100 80 {\n" +
        "    delay_loop 1\n" +
        "    lb_algo wrr\n" +
        "    lb_kind DR\n" +
        "    protocol TCP\n" +
        "    real_server 198.18.0.101 80 {\n" +
        "        weight 3\n" +
        "        TCP_CHECK {\n" +
        "            retry 1\n" +
        "            delay_before_retry 1\n" +
        "        }\n" +
        "    }\n" +
        "    real_server 198.18.0.102 80 {\n" +
        "        weight 2\n" +
        "        inhibit_on_failure\n" +
        "        TCP_CHECK {\n" +
        "            retry 1\n" +
        "            delay_before_retry 1\n" +
        "        }\n" +
        "    }\n" +
        "}\n";

    @TempDir
    Path directory;

    /** The addresses whose checks fail; every other check passes. */
    private final Set<Integer> failing = ConcurrentHashMap.newKeySet();
    private final ManualClock clock = new ManualClock();
    private Director director;
    private HealthMonitor health;
    private ControlServer server;
    private Path path;

    @BeforeEach
    void start() throws Exception
    {
        final MemoryTransport transport = MemoryTransport.builder().macAddress(0x02_00_00_00_00_02L)
            .ipv4Address(Ipv4.parse("198.18.0.2")).build();
        director = new Director(transport, DirectorOptions.defaults().withConnectionCapacity(CAPACITY));
        final DirectorConfig config = KeepalivedConfig.parse(CONF, "keepalived.conf");
        final List<MonitoredService> services =
            MonitoredService.pair(config.services(), ConfigMapper.map(config).specs());
        health = new HealthMonitor(services, director::apply, HealthMonitorOptions.defaults()
            .withScheduler(clock)
            .withBootstrapDelayMs(0)
            .withLog(line -> { })
            .withCheckers(check -> () ->
            {
                final int target = ((TcpCheck)check).connection().connectIp();
                return failing.contains(target) ? CheckOutcome.fail("connection refused") : CheckOutcome.pass();
            }));
        health.start();
        path = directory.resolve("control.sock");
        server = ControlServer.start(path, new DirectorControl(director, null, TIMEOUT_MS));
    }

    @AfterEach
    void stop()
    {
        server.close();
        health.close();
        director.close();
    }

    @Test
    void aFailedServerLeavesTheListingOrStaysAtWeightZeroWithInhibitOnFailureAndComesBack() throws Exception
    {
        assertServers(
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");

        failing.add(Ipv4.parse("198.18.0.101"));
        failing.add(Ipv4.parse("198.18.0.102"));
        settle();
        assertServers(
            "  -> 198.18.0.102:80              Route   0      0          0         ");

        failing.clear();
        settle();
        assertServers(
            "  -> 198.18.0.101:80              Route   3      0          0         ",
            "  -> 198.18.0.102:80              Route   2      0          0         ");
    }

    private void settle()
    {
        for (int i = 0; i < STEPS_TO_SETTLE; i++)
        {
            clock.advanceMs(STEP_MS);
        }
    }

    private void assertServers(final String... lines) throws Exception
    {
        final List<String> listing = ControlClient.request(path, "list", TIMEOUT_MS).lines().toList();
        assertEquals("TCP  198.18.0.100:80 wrr", listing.get(3));
        assertEquals(String.join("\n", lines), String.join("\n", listing.subList(4, listing.size())));
    }

    /** A clock that moves when the test says, running the monitor's due tasks on the test's thread. */
    private static final class ManualClock implements CheckScheduler
    {
        /** Away from 0, so that nothing can take "time 0" for "unset". */
        private final long startNs = TimeUnit.SECONDS.toNanos(1_000);
        private final PriorityQueue<Task> queue = new PriorityQueue<>();
        private long nowNs = startNs;
        private long sequence;

        private record Task(long dueNs, long sequence, Runnable body, boolean[] cancelled) implements Comparable<Task>
        {
            @Override
            public int compareTo(final Task other)
            {
                final int byTime = Long.compare(dueNs, other.dueNs);
                return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
            }
        }

        @Override
        public synchronized long nowNs()
        {
            return nowNs;
        }

        @Override
        public synchronized Scheduled schedule(final Runnable task, final long delayNs)
        {
            final boolean[] cancelled = new boolean[1];
            queue.add(new Task(nowNs + Math.max(0, delayNs), sequence++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        void advanceMs(final long ms)
        {
            final long targetNs;
            synchronized (this)
            {
                targetNs = nowNs + TimeUnit.MILLISECONDS.toNanos(ms);
            }
            while (true)
            {
                final Task task;
                synchronized (this)
                {
                    if (queue.isEmpty() || queue.peek().dueNs() > targetNs)
                    {
                        nowNs = targetNs;
                        return;
                    }
                    task = queue.poll();
                    nowNs = task.dueNs();
                }
                if (!task.cancelled()[0])
                {
                    task.body().run();
                }
            }
        }

        @Override
        public void close()
        {
        }
    }
}
