package io.jlvs.arp;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.jlvs.arp.NeighbourTableTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArpResponderTest
{
    private static final long DIRECTOR_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final int DIRECTOR_IP = ip(198, 18, 0, 2);
    private static final int VIP = ip(198, 18, 0, 100);
    private static final int OTHER_VIP = ip(198, 18, 0, 101);
    private static final int RS1 = ip(198, 18, 0, 11);
    private static final long RS1_MAC = MacAddress.parse("02:00:00:00:00:0b");
    private static final long NOW = 1_000_000_000L;

    /** The client 198.18.0.10 (02:00:00:00:00:0c) asks, by broadcast, who has the VIP 198.18.0.100. */
    private static final String REQUEST_FOR_VIP =
        "ff ff ff ff ff ff  02 00 00 00 00 0c  08 06  # Ethernet: broadcast <- client, ARP\n" +
        "00 01  08 00  06  04  00 01                  # Ethernet, IPv4, 6, 4, request\n" +
        "02 00 00 00 00 0c  c6 12 00 0a               # sender: client MAC, 198.18.0.10\n" +
        "00 00 00 00 00 00  c6 12 00 64               # target: unknown, 198.18.0.100\n";

    /** The director's answer: unicast to the client, the VIP is at the director's MAC; padded to 60 octets. */
    private static final String REPLY_FOR_VIP =
        "02 00 00 00 00 0c  02 00 00 00 00 01  08 06  # Ethernet: client <- director, ARP\n" +
        "00 01  08 00  06  04  00 02                  # Ethernet, IPv4, 6, 4, reply\n" +
        "02 00 00 00 00 01  c6 12 00 64               # sender: director MAC, 198.18.0.100\n" +
        "02 00 00 00 00 0c  c6 12 00 0a               # target: client MAC, 198.18.0.10\n" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # padding to 60\n";

    private final NeighbourTable neighbours = new NeighbourTable(NeighbourTimers.DEFAULT);
    private final ArpResponder responder = new ArpResponder(DIRECTOR_MAC, neighbours);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[128]);

    ArpResponderTest()
    {
        responder.virtualAddresses(new int[]{ VIP, OTHER_VIP });
    }

    @Test
    void answersRequestForVirtualAddressWithDirectorMacPaddedToEthernetMinimum()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);

        final int length = responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW);

        assertEquals(ArpHeader.MIN_ETHERNET_FRAME, length);
        assertEquals(Hex.normalise(REPLY_FOR_VIP), Hex.of(out, 0, length));
        assertEquals(1, responder.requestsAnswered());
        assertEquals(0, responder.ignored() + responder.malformed() + responder.conflicts());
    }

    @Test
    void answersRequestPaddedByTheSenderAtAnOffsetIntoALargerBuffer()
    {
        final UnsafeBuffer padded = new UnsafeBuffer(new byte[100]);
        padded.putBytes(7, Hex.parse(REQUEST_FOR_VIP), 0, ArpHeader.FRAME_LENGTH);

        final int length = responder.onArpFrame(padded, 7, ArpHeader.MIN_ETHERNET_FRAME, out, 5, NOW);

        assertEquals(Hex.normalise(REPLY_FOR_VIP), Hex.of(out, 5, length));
    }

    @Test
    void answersInPlaceWhenTheReplyBufferIsTheRequestBuffer()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        frame.putBytes(0, Hex.parse(REQUEST_FOR_VIP), 0, ArpHeader.FRAME_LENGTH);

        final int length = responder.onArpFrame(frame, 0, ArpHeader.FRAME_LENGTH, frame, 0, NOW);

        assertEquals(Hex.normalise(REPLY_FOR_VIP), Hex.of(frame, 0, length));
    }

    @Test
    void answersUnicastRequestToTheDirectorMac()
    {
        // Clients re-confirm a STALE entry with a request unicast to the MAC they know.
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        MacAddress.write(request, ArpHeader.DST_MAC_OFFSET, DIRECTOR_MAC);

        final int length = responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW);

        assertEquals(Hex.normalise(REPLY_FOR_VIP), Hex.of(out, 0, length));
    }

    @Test
    void answersRfc5227ProbeForVirtualAddressWithZeroTargetAddressAsLinuxDoes()
    {
        // Another host checks whether 198.18.0.100 is free before taking it: sender address 0.0.0.0.
        final UnsafeBuffer probe = Hex.parse(
            "ff ff ff ff ff ff  02 00 00 00 00 0d  08 06\n" +
            "00 01  08 00  06  04  00 01\n" +
            "02 00 00 00 00 0d  00 00 00 00               # sender: prober, 0.0.0.0\n" +
            "00 00 00 00 00 00  c6 12 00 64               # target: 198.18.0.100\n");

        final int length = responder.onArpFrame(probe, 0, probe.capacity(), out, 0, NOW);

        // Linux arp_process answers unicast to the prober, target address 0.0.0.0: the VIP is taken.
        assertEquals(Hex.normalise(
            "02 00 00 00 00 0d  02 00 00 00 00 01  08 06\n" +
            "00 01  08 00  06  04  00 02\n" +
            "02 00 00 00 00 01  c6 12 00 64\n" +
            "02 00 00 00 00 0d  00 00 00 00\n" +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"), Hex.of(out, 0, length));
        assertEquals(1, responder.requestsAnswered());
        assertEquals(0, responder.conflicts());
    }

    @Test
    void doesNotAnswerRequestForAnAddressThatIsNotVirtual()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        request.putInt(ArpHeader.ETHERNET_HEADER_LENGTH + ArpHeader.TPA_OFFSET, DIRECTOR_IP, ByteOrder.BIG_ENDIAN);
        out.setMemory(0, out.capacity(), (byte)0xAA);

        assertEquals(0, responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW));

        assertEquals(1, responder.ignored());
        assertEquals(0, responder.requestsAnswered());
        for (int i = 0; i < out.capacity(); i++)
        {
            assertEquals((byte)0xAA, out.getByte(i), "nothing written, byte " + i);
        }
    }

    @Test
    void stopsAnsweringForAnAddressRemovedFromTheVirtualSet()
    {
        responder.virtualAddresses(new int[]{ OTHER_VIP });
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);

        assertEquals(0, responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW));
        assertFalse(responder.isVirtualAddress(VIP));
        assertTrue(responder.isVirtualAddress(OTHER_VIP));
    }

    @Test
    void doesNotAnswerRequestUnicastToAnotherHost()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        MacAddress.write(request, ArpHeader.DST_MAC_OFFSET, MacAddress.parse("02:00:00:00:00:99"));

        assertEquals(0, responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW));
        assertEquals(1, responder.ignored());
    }

    @Test
    void doesNotAnswerAReplyAboutAVirtualAddress()
    {
        final UnsafeBuffer reply = Hex.parse(REQUEST_FOR_VIP);
        reply.putShort(ArpHeader.ETHERNET_HEADER_LENGTH + ArpHeader.OPER_OFFSET, (short)ArpHeader.OPER_REPLY,
            ByteOrder.BIG_ENDIAN);

        assertEquals(0, responder.onArpFrame(reply, 0, reply.capacity(), out, 0, NOW));
        assertEquals(1, responder.ignored());
    }

    @Test
    void countsTruncatedFramesAsMalformed()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        for (int length = 0; length < ArpHeader.FRAME_LENGTH; length++)
        {
            assertEquals(0, responder.onArpFrame(request, 0, length, out, 0, NOW), "length " + length);
        }
        assertEquals(ArpHeader.FRAME_LENGTH, responder.malformed());

        // Lengths and offsets that lie about the buffer are caught before any read.
        assertEquals(0, responder.onArpFrame(request, 1, ArpHeader.FRAME_LENGTH, out, 0, NOW));
        assertEquals(0, responder.onArpFrame(request, 0, ArpHeader.FRAME_LENGTH + 1, out, 0, NOW));
        assertEquals(0, responder.onArpFrame(request, -1, ArpHeader.FRAME_LENGTH, out, 0, NOW));
        assertEquals(0, responder.onArpFrame(request, 0, -1, out, 0, NOW));
        assertEquals(0, responder.onArpFrame(request, Integer.MAX_VALUE, ArpHeader.FRAME_LENGTH, out, 0, NOW));
        assertEquals(0, responder.onArpFrame(request, 1, Integer.MAX_VALUE, out, 0, NOW));
        assertEquals(ArpHeader.FRAME_LENGTH + 6, responder.malformed());
        assertEquals(0, responder.requestsAnswered());
    }

    @Test
    void countsMalformedHeadersAndAnswersNone()
    {
        final int arp = ArpHeader.ETHERNET_HEADER_LENGTH;
        final String[][] mutations = {
            // { description, frame offset, hex to write there }
            { "EtherType IPv4", String.valueOf(ArpHeader.ETHERTYPE_OFFSET), "08 00" },
            { "HTYPE 2", String.valueOf(arp + ArpHeader.HTYPE_OFFSET), "00 02" },
            { "PTYPE IPv6", String.valueOf(arp + ArpHeader.PTYPE_OFFSET), "86 dd" },
            { "HLEN 8", String.valueOf(arp + ArpHeader.HLEN_OFFSET), "08" },
            { "PLEN 16", String.valueOf(arp + ArpHeader.PLEN_OFFSET), "10" },
            { "OPER 0", String.valueOf(arp + ArpHeader.OPER_OFFSET), "00 00" },
            { "OPER 3 (RARP)", String.valueOf(arp + ArpHeader.OPER_OFFSET), "00 03" },
            { "sender MAC broadcast", String.valueOf(arp + ArpHeader.SHA_OFFSET), "ff ff ff ff ff ff" },
            { "sender MAC multicast", String.valueOf(arp + ArpHeader.SHA_OFFSET), "01 00 5e 00 00 01" },
            { "sender MAC zero", String.valueOf(arp + ArpHeader.SHA_OFFSET), "00 00 00 00 00 00" },
        };
        for (final String[] mutation : mutations)
        {
            final UnsafeBuffer frame = Hex.parse(REQUEST_FOR_VIP);
            final UnsafeBuffer patch = Hex.parse(mutation[2]);
            frame.putBytes(Integer.parseInt(mutation[1]), patch, 0, patch.capacity());

            assertEquals(0, responder.onArpFrame(frame, 0, frame.capacity(), out, 0, NOW), mutation[0]);
        }

        assertEquals(mutations.length, responder.malformed());
        assertEquals(0, responder.requestsAnswered());
    }

    @Test
    void acceptsIeee802HardwareTypeAsLinuxDoes()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        request.putShort(ArpHeader.ETHERNET_HEADER_LENGTH + ArpHeader.HTYPE_OFFSET, (short)ArpHeader.HTYPE_IEEE802,
            ByteOrder.BIG_ENDIAN);

        final int length = responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW);

        assertEquals(Hex.normalise(REPLY_FOR_VIP), Hex.of(out, 0, length));
    }

    @Test
    void countsGratuitousArpForOurVirtualAddressFromAnotherHostAsConflict()
    {
        // Another host announces 198.18.0.100 (keepalived form) ...
        final UnsafeBuffer announcement = Hex.parse(
            "ff ff ff ff ff ff  02 00 00 00 00 0e  08 06\n" +
            "00 01  08 00  06  04  00 01\n" +
            "02 00 00 00 00 0e  c6 12 00 64\n" +
            "ff ff ff ff ff ff  c6 12 00 64\n");
        // ... and a real server without arp_ignore answers a client's request for it (unicast to the client; the
        // director sees it when the switch floods it).
        final UnsafeBuffer misconfiguredReply = Hex.parse(
            "02 00 00 00 00 0c  02 00 00 00 00 0b  08 06  # Ethernet: client <- real server\n" +
            "00 01  08 00  06  04  00 02\n" +
            "02 00 00 00 00 0b  c6 12 00 64               # sender: real server MAC, VIP\n" +
            "02 00 00 00 00 0c  c6 12 00 0a\n");

        assertEquals(0, responder.onArpFrame(announcement, 0, announcement.capacity(), out, 0, NOW));
        assertEquals(0, responder.onArpFrame(misconfiguredReply, 0, misconfiguredReply.capacity(), out, 0, NOW));

        assertEquals(2, responder.conflicts());
        assertEquals(0, responder.requestsAnswered());
    }

    @Test
    void ignoresItsOwnGratuitousArpSeenAgain()
    {
        final UnsafeBuffer own = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        ArpResponder.writeGratuitousArp(own, 0, DIRECTOR_MAC, VIP);

        assertEquals(0, responder.onArpFrame(own, 0, own.capacity(), out, 0, NOW));

        assertEquals(0, responder.conflicts());
        assertEquals(1, responder.ignored());
    }

    @Test
    void learnsTheSenderOfEveryWellFormedFrameForTheNeighbourTable()
    {
        neighbours.wanted(new int[]{ RS1 });
        neighbours.poll(NOW, new RecordingProbeSink());
        final UnsafeBuffer replyToOurProbe = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        ArpResponder.writeRequest(replyToOurProbe, 0, RS1_MAC, RS1, DIRECTOR_IP, DIRECTOR_MAC);
        replyToOurProbe.putShort(ArpHeader.ETHERNET_HEADER_LENGTH + ArpHeader.OPER_OFFSET,
            (short)ArpHeader.OPER_REPLY, ByteOrder.BIG_ENDIAN);

        assertEquals(0, responder.onArpFrame(replyToOurProbe, 0, replyToOurProbe.capacity(), out, 0, NOW + 1));

        assertEquals(RS1_MAC, neighbours.lookup(RS1));
        assertEquals(NeighbourState.REACHABLE, neighbours.state(RS1));
    }

    @Test
    void answersAndLearnsARequestFromARealServer()
    {
        neighbours.wanted(new int[]{ RS1 });
        neighbours.poll(NOW, new RecordingProbeSink());
        final UnsafeBuffer request = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME]);
        ArpResponder.writeRequest(request, 0, RS1_MAC, RS1, VIP, NeighbourTable.BROADCAST_MAC);

        assertEquals(ArpHeader.MIN_ETHERNET_FRAME, responder.onArpFrame(request, 0, request.capacity(), out, 0, NOW));

        assertEquals(RS1_MAC, neighbours.lookup(RS1));
        assertEquals(RS1_MAC, MacAddress.read(out, ArpHeader.DST_MAC_OFFSET));
    }

    @Test
    void countsAReplyThatDoesNotFitTheOutputBuffer()
    {
        final UnsafeBuffer request = Hex.parse(REQUEST_FOR_VIP);
        final UnsafeBuffer small = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME + 3]);

        assertEquals(0, responder.onArpFrame(request, 0, request.capacity(), small, 4, NOW));
        assertEquals(0, responder.onArpFrame(request, 0, request.capacity(), small, -1, NOW));
        assertEquals(ArpHeader.MIN_ETHERNET_FRAME,
            responder.onArpFrame(request, 0, request.capacity(), small, 3, NOW), "exactly fits");

        assertEquals(2, responder.noRoomForReply());
        assertEquals(1, responder.requestsAnswered());
    }

    @Test
    void writesGratuitousArpAsKeepalivedDoes()
    {
        final int length = ArpResponder.writeGratuitousArp(out, 0, DIRECTOR_MAC, VIP);

        assertEquals(Hex.normalise(
            "ff ff ff ff ff ff  02 00 00 00 00 01  08 06  # Ethernet: broadcast <- director, ARP\n" +
            "00 01  08 00  06  04  00 01                  # request\n" +
            "02 00 00 00 00 01  c6 12 00 64               # sender: director MAC, VIP\n" +
            "ff ff ff ff ff ff  c6 12 00 64               # target: broadcast MAC, VIP\n" +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"), Hex.of(out, 0, length));
    }

    @Test
    void writesBroadcastRequestToResolveARealServer()
    {
        final int length = ArpResponder.writeRequest(out, 0, DIRECTOR_MAC, DIRECTOR_IP, RS1, NeighbourTable.BROADCAST_MAC);

        assertEquals(Hex.normalise(
            "ff ff ff ff ff ff  02 00 00 00 00 01  08 06  # Ethernet: broadcast <- director, ARP\n" +
            "00 01  08 00  06  04  00 01                  # request\n" +
            "02 00 00 00 00 01  c6 12 00 02               # sender: director MAC, 198.18.0.2\n" +
            "00 00 00 00 00 00  c6 12 00 0b               # target: unknown, 198.18.0.11\n" +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"), Hex.of(out, 0, length));
    }

    @Test
    void writesUnicastRequestToRefreshAKnownMac()
    {
        final int length = ArpResponder.writeRequest(out, 0, DIRECTOR_MAC, DIRECTOR_IP, RS1, RS1_MAC);

        assertEquals(Hex.normalise(
            "02 00 00 00 00 0b  02 00 00 00 00 01  08 06  # Ethernet: real server <- director, ARP\n" +
            "00 01  08 00  06  04  00 01\n" +
            "02 00 00 00 00 01  c6 12 00 02\n" +
            "00 00 00 00 00 00  c6 12 00 0b\n" +
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"), Hex.of(out, 0, length));
    }

    @Test
    void writersReturnZeroWhenTheFrameDoesNotFit()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[ArpHeader.MIN_ETHERNET_FRAME - 1]);

        assertEquals(0, ArpResponder.writeGratuitousArp(small, 0, DIRECTOR_MAC, VIP));
        assertEquals(0, ArpResponder.writeRequest(small, 0, DIRECTOR_MAC, DIRECTOR_IP, RS1, RS1_MAC));
        assertEquals(0, ArpResponder.writeRequest(out, -1, DIRECTOR_MAC, DIRECTOR_IP, RS1, RS1_MAC));
    }

    @Test
    void rejectsAddressesThatCannotBeVirtualAndANonUnicastDirectorMac()
    {
        assertThrows(IllegalArgumentException.class, () -> responder.virtualAddresses(new int[]{ 0 }));
        assertThrows(IllegalArgumentException.class, () -> responder.virtualAddresses(new int[]{ ip(239, 1, 1, 1) }));
        assertThrows(IllegalArgumentException.class, () -> responder.virtualAddresses(new int[]{ 0xFFFF_FFFF }));
        assertThrows(IllegalArgumentException.class, () -> new ArpResponder(MacAddress.BROADCAST, neighbours));
        assertThrows(IllegalArgumentException.class, () -> new ArpResponder(MacAddress.ZERO, neighbours));
        assertTrue(responder.isVirtualAddress(VIP), "a rejected set leaves the previous one in place");
    }
}
