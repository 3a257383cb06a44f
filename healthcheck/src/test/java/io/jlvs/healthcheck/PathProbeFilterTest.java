package io.jlvs.healthcheck;

import io.jlvs.arp.NeighbourTable;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.transport.BpfProgram;
import io.jlvs.fixtures.FrameBuilder;
import io.jlvs.scheduler.Ipv4;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe socket's kernel filter, run in a test interpreter on frames a director interface carries: the answers a
 * probe waits for (from any MAC) pass, the director's other traffic does not, and no frame the reader would take as
 * an answer is ever filtered out.
 */
class PathProbeFilterTest
{
    private static final String DIRECTOR = "198.18.0.2";
    private static final String VIP = "198.18.0.100";
    private static final String SECOND_VIP = "198.18.0.101";
    private static final String SERVER = "198.18.0.11";
    private static final String CLIENT = "198.18.0.10";
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final long SERVER_MAC = 0x02_00_00_00_00_0BL;
    private static final long STRANGER_MAC = 0x02_00_00_00_00_0CL;
    private static final int PROBE_PORT = 50_000;
    private static final int ISN = 0x1234_5678;
    private static final int SYN_ACK = FrameBuilder.SYN | FrameBuilder.ACK;
    private static final int RST_ACK = FrameBuilder.RST | FrameBuilder.ACK;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int IPV4 = 14;
    private static final int IPV4_TOTAL_LENGTH = IPV4 + 2;
    private static final int IPV4_HEADER_END = IPV4 + 20;
    private static final int OPTION_NOP = 1;
    private static final int ETHERTYPE_OFFSET = 12;
    private static final int RANDOM_FRAMES = 20_000;

    private final BpfProgram filter = PathProbeFilter.program(FrameBuilder.address(DIRECTOR),
        List.of(target(VIP, 80), target(SECOND_VIP, 443)));

    @Test
    void answersFromEveryTargetVipPassWhateverTheirFlags()
    {
        assertTrue(ClassicBpf.accepts(filter, answer(VIP, 80, SYN_ACK).build()));
        assertTrue(ClassicBpf.accepts(filter, answer(VIP, 80, RST_ACK).build()));
        assertTrue(ClassicBpf.accepts(filter, answer(SECOND_VIP, 443, SYN_ACK).build()));
        // The reader decides what answers: the filter lets an unacknowledging segment from the VIP through too.
        assertTrue(ClassicBpf.accepts(filter, answer(VIP, 80, FrameBuilder.ACK).build()));
        final byte[] whole = answer(VIP, 80, SYN_ACK).payloadLength(1200).build();
        assertEquals(0xFFFF_FFFFL, ClassicBpf.run(filter, whole), "kept whole");
    }

    @Test
    void answerFromAStrangersMacPassesSoThatTheCheckCanNameIt()
    {
        assertTrue(ClassicBpf.accepts(filter, answer(VIP, 80, SYN_ACK).srcMac(STRANGER_MAC).build()));
    }

    @Test
    void answerWithIpOptionsAndAFirstFragmentPass()
    {
        assertTrue(ClassicBpf.accepts(filter, withIpOptions(answer(VIP, 80, SYN_ACK).build())));
        assertTrue(ClassicBpf.accepts(filter, answer(VIP, 80, SYN_ACK).fragmentField(MORE_FRAGMENTS).build()));
    }

    @Test
    void arpReplyToTheDirectorPassesAndOtherArpDoesNot()
    {
        assertTrue(ClassicBpf.accepts(filter, FrameBuilder.arpReply(SERVER_MAC, SERVER, DIRECTOR_MAC, DIRECTOR)));
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.arpRequest(SERVER_MAC, SERVER, DIRECTOR)),
            "someone asking for the director");
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.arpReply(SERVER_MAC, SERVER, STRANGER_MAC, CLIENT)),
            "a reply to another host");
    }

    @Test
    void theDirectorsForwardedTrafficDoesNotPass()
    {
        // A client's segment to the VIP, and a server's reply to a client (when the director is its gateway).
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.tcp().src(CLIENT, 40_000).dst(VIP, 80).build()));
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.tcp().src(VIP, 80).dst(CLIENT, 40_000)
            .flags(SYN_ACK).build()));
    }

    @Test
    void segmentsThatCannotAnswerAProbeDoNotPass()
    {
        assertFalse(ClassicBpf.accepts(filter, answer(VIP, 22, SYN_ACK).build()), "not a target port");
        assertFalse(ClassicBpf.accepts(filter, answer(SERVER, 80, SYN_ACK).build()), "not a VIP");
        assertFalse(ClassicBpf.accepts(filter, answer(VIP, 80, SYN_ACK).dst(DIRECTOR, 8080).build()),
            "to a port below the probe's dynamic range");
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.udp().src(VIP, 80).dst(DIRECTOR, PROBE_PORT).build()));
        assertFalse(ClassicBpf.accepts(filter, FrameBuilder.icmpEcho().src(VIP, 0).dst(DIRECTOR, 0).build()));
        assertFalse(ClassicBpf.accepts(filter, answer(VIP, 80, SYN_ACK).fragmentField(1).payload(new byte[8])
            .build()), "a later fragment");
    }

    @Test
    void otherEtherTypesAndTruncatedFramesDoNotPass()
    {
        final byte[] tagged = answer(VIP, 80, SYN_ACK).build();
        new UnsafeBuffer(tagged).putShort(ETHERTYPE_OFFSET, (short)0x8100, ByteOrder.BIG_ENDIAN);
        assertFalse(ClassicBpf.accepts(filter, tagged));
        final byte[] full = answer(VIP, 80, SYN_ACK).build();
        assertFalse(ClassicBpf.accepts(filter, Arrays.copyOf(full, IPV4_HEADER_END + 1)), "cut before the ports");
        assertFalse(ClassicBpf.accepts(filter, new byte[ETHERTYPE_OFFSET + 1]));
    }

    @Test
    void everyFrameTheReaderTakesAsAnAnswerPassesTheFilter()
    {
        final long seed = Long.getLong("jlvs.test.seed", System.nanoTime());
        System.out.println("PathProbeFilterTest seed " + seed);
        final Random random = new Random(seed);
        final String[] addresses = {DIRECTOR, VIP, SECOND_VIP, SERVER, CLIENT};
        final int[] ports = {80, 443, 22, PROBE_PORT, 8080};
        final int[] flags = {SYN_ACK, RST_ACK, FrameBuilder.ACK, FrameBuilder.SYN, FrameBuilder.RST};
        final int[] fragments = {0, 0x4000, MORE_FRAGMENTS, 1};
        final PathProbeReply reply = new PathProbeReply();
        final int director = FrameBuilder.address(DIRECTOR);
        int answers = 0;
        for (int i = 0; i < RANDOM_FRAMES; i++)
        {
            final String vip = addresses[random.nextInt(addresses.length)];
            final int vipPort = ports[random.nextInt(ports.length)];
            final byte[] frame = FrameBuilder.tcp().srcMac(random.nextBoolean() ? SERVER_MAC : STRANGER_MAC)
                .dstMac(DIRECTOR_MAC).src(vip, vipPort)
                .dst(random.nextBoolean() ? DIRECTOR : CLIENT, random.nextBoolean() ? PROBE_PORT : 8080)
                .flags(flags[random.nextInt(flags.length)]).sequence(1, random.nextBoolean() ? ISN + 1 : ISN)
                .fragmentField(fragments[random.nextInt(fragments.length)]).build();
            final byte[] probed = random.nextBoolean() ? withIpOptions(frame) : frame;
            final boolean answer = reply.read(new UnsafeBuffer(probed), 0, probed.length) &&
                (reply.answers(director, PROBE_PORT, FrameBuilder.address(VIP), 80, ISN) != PathProbeReply.NONE ||
                reply.answers(director, PROBE_PORT, FrameBuilder.address(SECOND_VIP), 443, ISN) !=
                    PathProbeReply.NONE);
            if (answer)
            {
                answers++;
                assertTrue(ClassicBpf.accepts(filter, probed), "seed " + seed + ", frame " + i + " answers but is " +
                    "filtered out: " + Arrays.toString(probed));
            }
        }
        assertTrue(answers > 0, "seed " + seed + ": no frame answered, the test proved nothing");
    }

    @Test
    void everyArpReplyTheReaderTakesPassesTheFilter()
    {
        final int director = FrameBuilder.address(DIRECTOR);
        for (final String sender : List.of(SERVER, VIP, CLIENT))
        {
            final byte[] frame = FrameBuilder.arpReply(SERVER_MAC, sender, DIRECTOR_MAC, DIRECTOR);
            final long mac = PathProbeReply.arpReplyMac(new UnsafeBuffer(frame), 0, frame.length,
                FrameBuilder.address(sender), director);
            assertTrue(mac != NeighbourTable.NO_MAC);
            assertTrue(ClassicBpf.accepts(filter, frame), sender);
        }
    }

    @Test
    void manyTargetsStillFitTheJumps()
    {
        final List<VirtualAddress> targets = new ArrayList<>();
        for (int i = 0; i < PathCheck.MAX_TARGETS; i++)
        {
            targets.add(new VirtualAddress(FrameBuilder.address("198.18.1.0") + i, 1000 + i));
        }
        final BpfProgram many = PathProbeFilter.program(FrameBuilder.address(DIRECTOR), targets);
        final VirtualAddress last = targets.get(targets.size() - 1);
        assertTrue(ClassicBpf.accepts(many, answer(Ipv4.toString(last.address()), last.port(), SYN_ACK).build()));
        assertFalse(ClassicBpf.accepts(many, answer(Ipv4.toString(last.address()), 999, SYN_ACK).build()));
        assertFalse(ClassicBpf.accepts(many, answer("198.18.2.0", last.port(), SYN_ACK).build()));
    }

    private static VirtualAddress target(final String address, final int port)
    {
        return new VirtualAddress(FrameBuilder.address(address), port);
    }

    /** A server's segment from {@code vip:port} to the director's probe port, from the server's MAC. */
    private static FrameBuilder answer(final String vip, final int port, final int flags)
    {
        return FrameBuilder.tcp().srcMac(SERVER_MAC).dstMac(DIRECTOR_MAC).src(vip, port).dst(DIRECTOR, PROBE_PORT)
            .flags(flags).sequence(1, ISN + 1);
    }

    /** The frame with four bytes of IPv4 options (NOPs): the TCP header moves 4 bytes on. */
    private static byte[] withIpOptions(final byte[] frame)
    {
        final byte[] longer = new byte[frame.length + Integer.BYTES];
        System.arraycopy(frame, 0, longer, 0, IPV4_HEADER_END);
        Arrays.fill(longer, IPV4_HEADER_END, IPV4_HEADER_END + Integer.BYTES, (byte)OPTION_NOP);
        System.arraycopy(frame, IPV4_HEADER_END, longer, IPV4_HEADER_END + Integer.BYTES,
            frame.length - IPV4_HEADER_END);
        longer[IPV4] = (byte)(longer[IPV4] + 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(longer);
        buffer.putShort(IPV4_TOTAL_LENGTH, (short)((buffer.getShort(IPV4_TOTAL_LENGTH,
            ByteOrder.BIG_ENDIAN) & 0xFFFF) + Integer.BYTES), ByteOrder.BIG_ENDIAN);
        return longer;
    }
}
