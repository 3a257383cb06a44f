package io.jlvs.healthcheck;

import io.jlvs.arp.NeighbourTable;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.scheduler.Ipv4;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.jlvs.healthcheck.PathProbeFramesTest.DIRECTOR;
import static io.jlvs.healthcheck.PathProbeFramesTest.DIRECTOR_MAC;
import static io.jlvs.healthcheck.PathProbeFramesTest.ISN;
import static io.jlvs.healthcheck.PathProbeFramesTest.SERVER;
import static io.jlvs.healthcheck.PathProbeFramesTest.SERVER_MAC;
import static io.jlvs.healthcheck.PathProbeFramesTest.SOURCE_PORT;
import static io.jlvs.healthcheck.PathProbeFramesTest.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which frames answer a probe director:50000 -> VIP:80 whose SYN carried {@code ISN}, and which do not. */
class PathProbeReplyTest
{
    private static final int SYN_ACK = TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK;
    private static final int RST_ACK = TcpHeader.FLAG_RST | TcpHeader.FLAG_ACK;

    private final PathProbeReply reply = new PathProbeReply();

    @Test
    void synAckFromTheVipToTheProbePortAcknowledgingTheIsnIsAnAnswer()
    {
        assertEquals(PathProbeReply.SYN_ACK, answer(fromVip(80, SOURCE_PORT, ISN + 1, SYN_ACK)));
        assertEquals(SERVER_MAC, reply.sourceMac());
    }

    @Test
    void resetAcknowledgingTheIsnIsAnAnswerToo()
    {
        assertEquals(PathProbeReply.RESET, answer(fromVip(80, SOURCE_PORT, ISN + 1, RST_ACK)));
    }

    @Test
    void wrongPortsAreNoAnswer()
    {
        assertEquals(PathProbeReply.NONE, answer(fromVip(81, SOURCE_PORT, ISN + 1, SYN_ACK)));
        assertEquals(PathProbeReply.NONE, answer(fromVip(80, SOURCE_PORT + 1, ISN + 1, SYN_ACK)));
    }

    @Test
    void segmentFromTheServerOwnAddressOrToAnotherHostIsNoAnswer()
    {
        assertEquals(PathProbeReply.NONE, answer(ProbeWire.segment(SERVER_MAC, DIRECTOR_MAC, SERVER, 80, DIRECTOR,
            SOURCE_PORT, ISN + 1, SYN_ACK)));
        assertEquals(PathProbeReply.NONE, answer(ProbeWire.segment(SERVER_MAC, DIRECTOR_MAC, VIP, 80,
            Ipv4.parse("10.0.0.3"), SOURCE_PORT, ISN + 1, SYN_ACK)));
    }

    @Test
    void segmentThatDoesNotAcknowledgeTheIsnIsNoAnswer()
    {
        assertEquals(PathProbeReply.NONE, answer(fromVip(80, SOURCE_PORT, ISN, SYN_ACK)));
        assertEquals(PathProbeReply.NONE, answer(fromVip(80, SOURCE_PORT, ISN + 2, RST_ACK)));
        // A RST without ACK never answers a SYN (RFC 9293 3.10.7.1: the reset of a SYN acknowledges it).
        assertEquals(PathProbeReply.NONE, answer(fromVip(80, SOURCE_PORT, ISN + 1, TcpHeader.FLAG_RST)));
        // An ACK alone (a stale connection's) is not the answer to a SYN either.
        assertEquals(PathProbeReply.NONE, answer(fromVip(80, SOURCE_PORT, ISN + 1, TcpHeader.FLAG_ACK)));
    }

    @Test
    void truncatedOrNonTcpFramesAreNotRead()
    {
        final byte[] synAck = fromVip(80, SOURCE_PORT, ISN + 1, SYN_ACK);
        assertFalse(reply.read(new UnsafeBuffer(synAck), 0, ProbeWire.SEGMENT_FRAME_LENGTH - 1));
        assertEquals(PathProbeReply.NONE, reply.answers(DIRECTOR, SOURCE_PORT, VIP, 80, ISN));
        final byte[] udp = synAck.clone();
        udp[23] = 17;
        assertFalse(reply.read(new UnsafeBuffer(udp), 0, udp.length));
        final byte[] arp = ProbeWire.arpReply(SERVER_MAC, SERVER, DIRECTOR_MAC, DIRECTOR);
        assertFalse(reply.read(new UnsafeBuffer(arp), 0, arp.length));
        assertTrue(reply.read(new UnsafeBuffer(synAck), 0, synAck.length));
    }

    @Test
    void arpReplyFromTheNextHopToTheDirectorGivesItsMac()
    {
        final byte[] arp = ProbeWire.arpReply(SERVER_MAC, SERVER, DIRECTOR_MAC, DIRECTOR);
        assertEquals(SERVER_MAC, PathProbeReply.arpReplyMac(new UnsafeBuffer(arp), 0, arp.length, SERVER, DIRECTOR));
        assertEquals(NeighbourTable.NO_MAC,
            PathProbeReply.arpReplyMac(new UnsafeBuffer(arp), 0, arp.length, Ipv4.parse("10.0.0.12"), DIRECTOR));
        assertEquals(NeighbourTable.NO_MAC,
            PathProbeReply.arpReplyMac(new UnsafeBuffer(arp), 0, arp.length, SERVER, Ipv4.parse("10.0.0.3")));
        assertEquals(NeighbourTable.NO_MAC,
            PathProbeReply.arpReplyMac(new UnsafeBuffer(arp), 0, arp.length - 19, SERVER, DIRECTOR));
        final byte[] request = arp.clone();
        request[21] = 1;
        assertEquals(NeighbourTable.NO_MAC,
            PathProbeReply.arpReplyMac(new UnsafeBuffer(request), 0, request.length, SERVER, DIRECTOR));
        final byte[] segment = Arrays.copyOf(fromVip(80, SOURCE_PORT, ISN + 1, SYN_ACK), arp.length);
        assertEquals(NeighbourTable.NO_MAC,
            PathProbeReply.arpReplyMac(new UnsafeBuffer(segment), 0, segment.length, SERVER, DIRECTOR));
    }

    private static byte[] fromVip(final int vipPort, final int directorPort, final int ack, final int flags)
    {
        return ProbeWire.segment(SERVER_MAC, DIRECTOR_MAC, VIP, vipPort, DIRECTOR, directorPort, ack, flags);
    }

    private int answer(final byte[] frame)
    {
        reply.read(new UnsafeBuffer(frame), 0, frame.length);
        return reply.answers(DIRECTOR, SOURCE_PORT, VIP, 80, ISN);
    }
}
