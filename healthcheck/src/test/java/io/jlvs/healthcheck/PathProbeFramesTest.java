package io.jlvs.healthcheck;

import io.jlvs.arp.MacAddress;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.scheduler.Ipv4;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The probe's frames byte for byte. The expected bytes, checksums included, were computed apart from jlvs (RFC 1071
 * over the header and the pseudo-header, by hand in a script) and are spelled out here with what each field is.
 */
class PathProbeFramesTest
{
    static final long DIRECTOR_MAC = MacAddress.parse("02:00:00:00:00:02");
    static final long SERVER_MAC = MacAddress.parse("02:00:00:00:00:0b");
    static final long GATEWAY_MAC = MacAddress.parse("02:00:00:00:00:01");
    static final int DIRECTOR = Ipv4.parse("10.0.0.2");
    static final int VIP = Ipv4.parse("10.0.0.100");
    static final int SERVER = Ipv4.parse("10.0.0.11");
    static final int TUNNEL_SERVER = Ipv4.parse("10.9.0.21");
    static final int SOURCE_PORT = 50_000;
    static final int ISN = 0x1234_5678;
    private static final int MTU = 1500;
    private static final int OFFSET = 7;

    @Test
    void drSynIsAddressedToTheServerMacAndCarriesBothChecksums()
    {
        final PathProbeFrames frames = new PathProbeFrames(ForwardingMethod.DR, DIRECTOR_MAC, SERVER_MAC, DIRECTOR,
            SERVER, MTU, 0);
        assertEquals(
            // Ethernet: server MAC <- director MAC, IPv4
            "02 00 00 00 00 0b 02 00 00 00 00 02 08 00 " +
            // IPv4: 20 bytes, total 40, ID 0x1111, DF, TTL 64, TCP, checksum 0x155a, 10.0.0.2 -> 10.0.0.100
            "45 00 00 28 11 11 40 00 40 06 15 5a 0a 00 00 02 0a 00 00 64 " +
            // TCP: 50000 -> 80, seq 0x12345678, ack 0, 5 words, SYN, window 64240, checksum 0x743f, urgent 0
            "c3 50 00 50 12 34 56 78 00 00 00 00 50 02 fa f0 74 3f 00 00 " +
            // zero padding to Ethernet's 60 bytes
            "00 00 00 00 00 00",
            write(frames, ISN, TcpHeader.FLAG_SYN, 0x1111));
    }

    @Test
    void drResetFollowsTheSynAckWithTheNextSequenceNumberAndNoWindow()
    {
        final PathProbeFrames frames = new PathProbeFrames(ForwardingMethod.DR, DIRECTOR_MAC, SERVER_MAC, DIRECTOR,
            SERVER, MTU, 0);
        assertEquals(
            "02 00 00 00 00 0b 02 00 00 00 00 02 08 00 " +
            // ID 0x1112, checksum 0x1559
            "45 00 00 28 11 12 40 00 40 06 15 59 0a 00 00 02 0a 00 00 64 " +
            // seq 0x12345679 (ISN + 1), RST, window 0, checksum 0x6f2d
            "c3 50 00 50 12 34 56 79 00 00 00 00 50 04 00 00 6f 2d 00 00 " +
            "00 00 00 00 00 00",
            write(frames, ISN + 1, TcpHeader.FLAG_RST, 0x1112));
    }

    @Test
    void tunSynIsWrappedInIpipToTheServerThroughTheNextHop()
    {
        final PathProbeFrames frames = new PathProbeFrames(ForwardingMethod.TUN, DIRECTOR_MAC, GATEWAY_MAC, DIRECTOR,
            TUNNEL_SERVER, MTU, 0x2222);
        assertEquals(
            // Ethernet: gateway MAC <- director MAC, IPv4
            "02 00 00 00 00 01 02 00 00 00 00 02 08 00 " +
            // outer IPv4: total 60, ID 0x2222, DF (copied), TTL 63 (copied after the decrement), IPIP, checksum
            // 0x057d, 10.0.0.2 -> 10.9.0.21
            "45 00 00 3c 22 22 40 00 3f 04 05 7d 0a 00 00 02 0a 09 00 15 " +
            // inner IPv4: as the DR SYN's, TTL 63 and its checksum patched to 0x165a
            "45 00 00 28 11 11 40 00 3f 06 16 5a 0a 00 00 02 0a 00 00 64 " +
            // TCP: unchanged (TTL is not in the pseudo-header); no padding, the tunnel carries none
            "c3 50 00 50 12 34 56 78 00 00 00 00 50 02 fa f0 74 3f 00 00",
            write(frames, ISN, TcpHeader.FLAG_SYN, 0x1111));
    }

    private static String write(final PathProbeFrames frames, final int sequence, final int flags, final int ipId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(OFFSET +
            PathProbeFrames.MAX_FRAME_LENGTH));
        // Whatever was in the slot before must not leak into the frame.
        buffer.setMemory(0, buffer.capacity(), (byte)0xEE);
        final int length = frames.write(buffer, OFFSET, VIP, 80, SOURCE_PORT, sequence, flags, ipId);
        final StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", buffer.getByte(OFFSET + i) & 0xFF));
        }
        return hex.toString();
    }
}
