package io.jlvs.dataplane.transport.pcap;

import io.jlvs.dataplane.transport.Capture;
import io.jlvs.dataplane.transport.TestFrames;
import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.dataplane.transport.TxSlots;
import io.jlvs.dataplane.transport.VethLab;
import io.jlvs.dataplane.transport.afpacket.AfPacketTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The pcap transport against an AF_PACKET peer on a veth pair (root and libpcap; fails without them when CI=true). */
class PcapTransportLabTest
{
    private VethLab lab;
    private int tag;

    @BeforeEach
    void buildLab() throws Exception
    {
        Libpcap.assume();
        lab = VethLab.create();
        tag = new SecureRandom().nextInt();
    }

    @AfterEach
    void tearDown()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    private Capture markers()
    {
        return new Capture((buffer, offset, length) -> TestFrames.isMarker(buffer, offset, length, tag));
    }

    @Test
    void exchangesFramesWithAnAfPacketPeerAndDescribesItsInterface() throws Exception
    {
        final PcapTransport pcap = lab.track(lab.in(lab.nsB(),
            () -> PcapTransport.open(TransportOptions.of(VethLab.B_MAIN))));
        final AfPacketTransport peer = lab.track(lab.in(lab.nsA(),
            () -> AfPacketTransport.open(TransportOptions.of(VethLab.A_MAIN))));
        final int count = 8;

        assertEquals(lab.mac(lab.nsB(), VethLab.B_MAIN), pcap.macAddress());
        assertEquals(lab.index(lab.nsB(), VethLab.B_MAIN), pcap.interfaceIndex());
        assertEquals(VethLab.B_MAIN_IP, pcap.ipv4Address());
        assertFalse(pcap.vnetHeader());

        final TxSlots peerSlots = new TxSlots(count, 128, true);
        for (int i = 0; i < count; i++)
        {
            peerSlots.queue(peer, i, TestFrames.marker(pcap.macAddress(), peer.macAddress(), tag, i));
        }
        assertEquals(count, peer.flush());
        final List<Capture.Frame> received = markers().awaitFrames(pcap, count);
        assertEquals(count, received.size());
        assertEquals(count - 1, TestFrames.sequence(received.get(count - 1).bytes));

        final TxSlots slots = new TxSlots(count, 128, false);
        for (int i = 0; i < count; i++)
        {
            slots.queue(pcap, i, TestFrames.marker(peer.macAddress(), pcap.macAddress(), tag, 100 + i));
        }
        assertEquals(count, pcap.flush());
        final List<Capture.Frame> atPeer = markers().awaitFrames(peer, count);
        assertEquals(count, atPeer.size());
        assertArrayEquals(TestFrames.marker(peer.macAddress(), pcap.macAddress(), tag, 100), atPeer.get(0).bytes);

        final Capture own = markers();
        own.drain(pcap, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(0, own.frames().size(), "the pcap transport read back its own transmissions");
    }
}
