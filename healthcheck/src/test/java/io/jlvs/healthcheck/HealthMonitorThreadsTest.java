package io.jlvs.healthcheck;

import io.jlvs.dataplane.service.VirtualServiceSpec;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The monitor on its own threads with a real TCP_CHECK against a loopback listener that goes away and comes back. */
class HealthMonitorThreadsTest
{
    /** Bounds each wait for a publication; the checks themselves run every 200 ms. */
    private static final long WAIT_MS = 20_000;

    @Test
    void closedListenerIsTakenOutByTheCheckThreadsAndPutBackWhenItReturns() throws Exception
    {
        final ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final int port = listener.getLocalPort();
        final String conf = "virtual_server 10.0.0.1 " + port + " {\n  delay_loop 0.2\n  lb_kind DR\n" +
            "  real_server 127.0.0.1 " + port + " {\n    TCP_CHECK {\n      retry 1\n      delay_before_retry 0.1\n" +
            "      connect_timeout 1\n      warmup 0\n    }\n  }\n" +
            "  real_server 10.0.0.3 " + port + " {\n  }\n}\n";
        final LinkedBlockingQueue<List<VirtualServiceSpec>> published = new LinkedBlockingQueue<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final CheckContext recordThread = checker ->
        {
            threads.add(Thread.currentThread().getName());
            return checker.check();
        };
        final HealthMonitor monitor = new HealthMonitor(TestServices.parse(conf), published::add,
            HealthMonitorOptions.defaults().withContext(recordThread).withBootstrapDelayMs(0).withLog(line -> { }));
        try
        {
            monitor.start();
            final String server = "127.0.0.1:" + port + "@1";
            final String other = "10.0.0.3:" + port + "@1";
            assertEquals(List.of(server, other), TestServices.servers(published.take().get(0)));

            listener.close();
            assertEquals(List.of(other), awaitNext(published));

            try (ServerSocket back = new ServerSocket())
            {
                back.setReuseAddress(true);
                back.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertEquals(List.of(server, other), awaitNext(published));
            }
        }
        finally
        {
            monitor.close();
            listener.close();
        }
        assertFalse(threads.isEmpty());
        for (final String thread : threads)
        {
            assertTrue(thread.startsWith("jlvs-check-"), thread);
        }
    }

    private static List<String> awaitNext(final LinkedBlockingQueue<List<VirtualServiceSpec>> published)
        throws InterruptedException
    {
        final List<VirtualServiceSpec> next = published.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (next == null)
        {
            fail("no publication within " + WAIT_MS + " ms");
        }
        return TestServices.servers(next.get(0));
    }
}
