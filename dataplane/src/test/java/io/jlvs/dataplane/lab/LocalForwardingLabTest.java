package io.jlvs.dataplane.lab;

import com.sun.net.httpserver.HttpServer;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.local.HostCommands;
import io.jlvs.dataplane.local.LocalDeliveryPath;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.RealServerSpec;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;
import io.jlvs.lab.LabRequirements;
import io.jlvs.lab.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A director that is also one of the real servers ("Local"): it serves its share of the VIP's connections itself,
 * forwards the rest, and its kernel never answers a connection jlvs sent elsewhere.
 */
class LocalForwardingLabTest
{
    /** The local path only transmits: the smallest ring the transport accepts. */
    private static final int SEND_ONLY_BLOCK_BYTES = 128 * 1024;
    private static final int SEND_ONLY_BLOCKS = 2;

    private Lab lab;
    private LabDirector director;
    private HttpServer localServer;

    @BeforeEach
    void buildLab() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        lab = Lab.start();
        final String ns = lab.directorNamespace();
        final String vip = LabAddresses.formatIpv4(lab.vip());
        // The director host as a DR real server: the VIP on lo, not announced.
        lab.exec(ns, "ip", "addr", "add", vip + "/32", "dev", "lo");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        lab.exec(ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_announce=2");
        localServer = NetworkNamespace.call(ns, () -> HttpServer.create(new InetSocketAddress(80), 64));
        localServer.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            final byte[] body = "director\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        localServer.start();
    }

    @AfterEach
    void tearDown()
    {
        if (director != null)
        {
            director.close();
        }
        if (localServer != null)
        {
            localServer.stop(0);
        }
        if (lab != null)
        {
            lab.close();
        }
    }

    @Test
    void directorServesItsShareLocallyAndForwardsTheRest() throws Exception
    {
        final String ns = lab.directorNamespace();
        final HostCommands host = HostCommands.inNamespace(ns);
        final List<RealServerSpec> servers = List.of(
            RealServerSpec.route(lab.directorAddress(), 80, 1),
            RealServerSpec.route(lab.realServerAddress(1), 80, 1),
            RealServerSpec.route(lab.realServerAddress(2), 80, 1));
        director = LabDirector.start(lab, List.of(VirtualServiceSpec.of(6, lab.vip(), 80, "rr", servers)),
            TransportOptions.of(lab.directorInterface()),
            d -> d.localDelivery(new int[]{lab.directorAddress()}, host,
                name -> callIn(ns, () -> AfPacketTransport.open(TransportOptions.builder(name)
                    .blockSizeBytes(SEND_ONLY_BLOCK_BYTES).blockCount(SEND_ONLY_BLOCKS).build()))));

        assertEquals(ForwardingMethod.LOCAL, director.director.table().method(
            director.director.table().services().get(0).servers()[0].id()));
        assertTrue(LocalDeliveryPath.isInstalled(host), "the nftables rule keeping VIP frames from the stack");

        final Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 0; i < 60; i++)
        {
            try
            {
                perServer.merge(lab.httpGet("/").trim(), 1, Integer::sum);
            }
            catch (final java.io.IOException ex)
            {
                throw new AssertionError("request " + i + " failed; " + director.diagnostics() + "\n" +
                    lab.exec(ns, "ip", "-s", "link", "show", LocalDeliveryPath.STACK_SIDE) +
                    lab.exec(ns, "nstat", "-az", "IpInAddrErrors", "IpInDiscards", "IpExtInNoRoutes",
                        "TcpExtTCPReqQFullDrop", "IpInHdrErrors", "TcpInErrs", "TcpInCsumErrors",
                        "TcpExtListenDrops", "IpExtInCsumErrors", "TcpAttemptFails", "TcpOutRsts",
                        "IpOutRequests", "TcpExtIPReversePathFilter") +
                    lab.exec(ns, "sysctl", "net.ipv4.conf.all.rp_filter", "net.ipv4.conf.jlvsl1.rp_filter"), ex);
            }
        }
        assertEquals(Map.of("director", 20, "rs1", 20, "rs2", 20), perServer, director.diagnostics());
        assertTrue(director.director.counters().get(Counter.DELIVERED_LOCALLY) > 0);

        director.close();
        director = null;
        assertFalse(LocalDeliveryPath.isInstalled(host), "the rule is removed when jlvs stops");
        assertFalse(lab.exec(ns, "ip", "-o", "link", "show").contains(LocalDeliveryPath.SEND_SIDE),
            "the veth pair is removed when jlvs stops");
    }

    private static <T> T callIn(final String ns, final java.util.concurrent.Callable<T> body)
    {
        try
        {
            return NetworkNamespace.call(ns, body);
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
