package io.jlvs.dataplane.transport.pcap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapFilesTest
{
    private static final byte[] FRAME_A = {
        (byte)0xff, (byte)0xff, (byte)0xff, (byte)0xff, (byte)0xff, (byte)0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1};
    private static final byte[] FRAME_B = new byte[1514];

    static
    {
        Arrays.fill(FRAME_B, (byte)0x5A);
    }

    @TempDir
    Path directory;

    @Test
    void framesSurviveAWriteAndReadRoundTrip() throws IOException
    {
        final Path file = directory.resolve("frames.pcap");
        final List<byte[]> frames = List.of(FRAME_A, FRAME_B, new byte[0]);

        PcapFiles.write(file, frames);
        final List<byte[]> read = PcapFiles.read(file);

        assertEquals(3, read.size());
        assertArrayEquals(FRAME_A, read.get(0));
        assertArrayEquals(FRAME_B, read.get(1));
        assertEquals(0, read.get(2).length);
    }

    @Test
    void writesTheClassicLittleEndianHeaderAndRecordLayout() throws IOException
    {
        final Path file = directory.resolve("one.pcap");

        PcapFiles.write(file, List.of(FRAME_A));

        final byte[] bytes = Files.readAllBytes(file);
        final byte[] expectedGlobal = {
            (byte)0xd4, (byte)0xc3, (byte)0xb2, (byte)0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 4, 0, 1, 0, 0, 0};
        final byte[] expectedRecord = {0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0};
        assertArrayEquals(expectedGlobal, Arrays.copyOfRange(bytes, 0, 24));
        assertArrayEquals(expectedRecord, Arrays.copyOfRange(bytes, 24, 40));
        assertArrayEquals(FRAME_A, Arrays.copyOfRange(bytes, 40, bytes.length));
    }

    @Test
    void readsBigEndianNanosecondFiles() throws IOException
    {
        final ByteBuffer file = ByteBuffer.allocate(24 + 16 + FRAME_A.length).order(ByteOrder.BIG_ENDIAN);
        file.putInt(PcapFiles.MAGIC_NANOSECONDS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(65535).putInt(1);
        file.putInt(1_700_000_000).putInt(123_456_789).putInt(FRAME_A.length).putInt(60).put(FRAME_A);
        final Path path = directory.resolve("be.pcap");
        Files.write(path, file.array());

        final List<byte[]> read = PcapFiles.read(path);

        assertEquals(1, read.size());
        assertArrayEquals(FRAME_A, read.get(0));
    }

    @Test
    void refusesPcapngOtherLinkTypesAndTruncatedFiles() throws IOException
    {
        final Path pcapng = directory.resolve("x.pcapng");
        Files.write(pcapng, new byte[]{0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0});
        assertTrue(assertThrows(IOException.class, () -> PcapFiles.read(pcapng)).getMessage().contains("pcapng"));

        final Path written = directory.resolve("ok.pcap");
        PcapFiles.write(written, List.of(FRAME_B));
        final byte[] bytes = Files.readAllBytes(written);

        final Path truncated = directory.resolve("truncated.pcap");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));
        assertThrows(EOFException.class, () -> PcapFiles.read(truncated));

        final byte[] rawIp = bytes.clone();
        rawIp[PcapFiles.LINKTYPE_OFFSET] = 101;
        final Path linkType = directory.resolve("rawip.pcap");
        Files.write(linkType, rawIp);
        assertTrue(assertThrows(IOException.class, () -> PcapFiles.read(linkType)).getMessage().contains("101"));
    }

    @Test
    void libpcapReadsOurFilesAndWeReadItsFiles() throws Exception
    {
        Libpcap.assume();
        final Path ours = directory.resolve("ours.pcap");
        PcapFiles.write(ours, List.of(FRAME_A, FRAME_B));
        final List<byte[]> readByLibpcap = new ArrayList<>();
        try (PcapHandle handle = Pcaps.openOffline(ours.toString()))
        {
            byte[] frame;
            while ((frame = handle.getNextRawPacket()) != null)
            {
                readByLibpcap.add(frame);
            }
        }
        assertEquals(2, readByLibpcap.size());
        assertArrayEquals(FRAME_B, readByLibpcap.get(1));

        final Path theirs = directory.resolve("theirs.pcap");
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, PcapFiles.SNAPLEN);
             PcapDumper dumper = dead.dumpOpen(theirs.toString()))
        {
            dumper.dumpRaw(FRAME_A);
            dumper.dumpRaw(FRAME_B);
        }
        final List<byte[]> read = PcapFiles.read(theirs);
        assertEquals(2, read.size());
        assertArrayEquals(FRAME_A, read.get(0));
    }
}
