package io.jlvs.bench.harness;

import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.lab.LabAddresses;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorFramesTest
{
    private static final long SRC_MAC = 0x02_00_00_00_00_10L;
    private static final long DST_MAC = 0x02_00_00_00_00_02L;
    private static final int VIP = LabAddresses.DEFAULT_VIP;
    private static final int IP_OFFSET = 14;
    private static final int PROTOCOL_OFFSET = IP_OFFSET + 9;
    private static final int SRC_ADDR_OFFSET = IP_OFFSET + 12;
    private static final int DST_ADDR_OFFSET = IP_OFFSET + 16;
    private static final int SRC_PORT_OFFSET = IP_OFFSET + 20;
    private static final int DST_PORT_OFFSET = SRC_PORT_OFFSET + 2;
    private static final int TCP_FLAGS_OFFSET = SRC_PORT_OFFSET + 13;

    @Test
    void mixedFramesHaveTheAskedSizeValidChecksumsAndOneFlowEach()
    {
        for (final int size : new int[] {GeneratorFrames.SMALL_FRAME_BYTES, GeneratorFrames.LARGE_FRAME_BYTES})
        {
            final GeneratorFrames frames = GeneratorFrames.mixed(size, SRC_MAC, DST_MAC, VIP);
            assertEquals(GeneratorFrames.MIXED_FLOWS, frames.count());
            final Set<Long> tuples = new HashSet<>();
            int tcp = 0;
            for (int i = 0; i < frames.count(); i++)
            {
                final byte[] frame = frames.frame(i);
                assertEquals(size, frame.length, "frame " + i);
                assertEquals(size, frames.length(i));
                assertTrue(FrameBuilder.ipChecksumValid(frame), "IP checksum of frame " + i);
                assertTrue(FrameBuilder.transportChecksumValid(frame), "L4 checksum of frame " + i);
                final ByteBuffer b = ByteBuffer.wrap(frame);
                assertEquals(VIP, b.getInt(DST_ADDR_OFFSET));
                assertEquals(GeneratorFrames.BENCH_PORT, b.getShort(DST_PORT_OFFSET) & 0xFFFF);
                if ((frame[PROTOCOL_OFFSET] & 0xFF) == FrameBuilder.TCP)
                {
                    tcp++;
                    assertEquals(0, frame[TCP_FLAGS_OFFSET] & FrameBuilder.SYN, "steady TCP frames are not SYNs");
                }
                tuples.add(((long)b.getInt(SRC_ADDR_OFFSET) << 16) | (b.getShort(SRC_PORT_OFFSET) & 0xFFFF));
            }
            assertEquals(GeneratorFrames.MIXED_FLOWS, tuples.size(), "every frame is its own flow");
            assertEquals(GeneratorFrames.MIXED_FLOWS / GeneratorFrames.TCP_FLOW_EVERY, tcp);
        }
    }

    @Test
    void primeSynsOpenExactlyTheTcpFlowsOfTheMixedFrames()
    {
        final GeneratorFrames steady = GeneratorFrames.mixed(GeneratorFrames.SMALL_FRAME_BYTES, SRC_MAC, DST_MAC, VIP);
        final GeneratorFrames syns = GeneratorFrames.mixedSyns(SRC_MAC, DST_MAC, VIP);
        final Set<Long> tcpFlows = new HashSet<>();
        for (int i = 0; i < steady.count(); i++)
        {
            final byte[] frame = steady.frame(i);
            if ((frame[PROTOCOL_OFFSET] & 0xFF) == FrameBuilder.TCP)
            {
                tcpFlows.add(tuple(frame));
            }
        }
        final Set<Long> synFlows = new HashSet<>();
        for (int i = 0; i < syns.count(); i++)
        {
            final byte[] frame = syns.frame(i);
            assertEquals(FrameBuilder.SYN, frame[TCP_FLAGS_OFFSET] & 0xFF);
            assertTrue(FrameBuilder.transportChecksumValid(frame));
            synFlows.add(tuple(frame));
        }
        assertEquals(tcpFlows, synFlows);
    }

    @Test
    void readdressingKeepsChecksumsValidAndMakesEveryPassNewTuples()
    {
        final GeneratorFrames flood = GeneratorFrames.synFlood(SRC_MAC, DST_MAC, VIP);
        assertEquals(GeneratorFrames.SYN_PORTS, flood.count());
        assertTrue(flood.readdressEachPass());
        final Set<Long> seen = new HashSet<>();
        final int[] sample = {0, 1, 4_095, flood.count() - 1};
        for (int pass = 0; pass < 3; pass++)
        {
            if (pass > 0)
            {
                flood.readdressNextPass();
            }
            for (final int i : sample)
            {
                final byte[] frame = flood.frame(i);
                assertEquals(GeneratorFrames.SMALL_FRAME_BYTES, frame.length);
                assertEquals(GeneratorFrames.synSource(pass), ByteBuffer.wrap(frame).getInt(SRC_ADDR_OFFSET));
                assertTrue(FrameBuilder.ipChecksumValid(frame), "IP checksum, pass " + pass + ", frame " + i);
                assertTrue(FrameBuilder.transportChecksumValid(frame), "TCP checksum, pass " + pass + ", frame " + i);
                assertTrue(seen.add(tuple(frame)), "tuple repeated in pass " + pass + ", frame " + i);
            }
        }
    }

    @Test
    void incrementalChecksumUpdateMatchesRecomputingFromScratch()
    {
        // a valid header, then one word of the source address changed and the checksum updated for it alone
        final byte[] frame = FrameBuilder.udp().src("198.18.64.1", 1).dst("198.18.0.100", 9).build();
        final ByteBuffer b = ByteBuffer.wrap(frame);
        final int checksum = b.getShort(IP_OFFSET + 10) & 0xFFFF;
        final int oldLow = b.getShort(SRC_ADDR_OFFSET + 2) & 0xFFFF;
        final int newLow = 0xCD13;
        b.putShort(SRC_ADDR_OFFSET + 2, (short)newLow);
        b.putShort(IP_OFFSET + 10, (short)GeneratorFrames.adjust(checksum, oldLow, newLow));
        assertTrue(FrameBuilder.ipChecksumValid(frame));
    }

    private static long tuple(final byte[] frame)
    {
        final ByteBuffer b = ByteBuffer.wrap(frame);
        return ((long)b.getInt(SRC_ADDR_OFFSET) << 16) | (b.getShort(SRC_PORT_OFFSET) & 0xFFFF);
    }
}
