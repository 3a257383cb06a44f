package io.jlvs.endpoint;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The raw sockets a lab test opens on the director's side: an {@code IPPROTO_RAW} socket to send hand-built IPIP
 * packets, and an ICMP socket that sees every ICMP message arriving, to catch a "protocol unreachable". Each must
 * be created by a thread inside the namespace it belongs to.
 */
final class TestSockets
{
    static final int IPPROTO_ICMP = 1;
    /** {@code IPPROTO_RAW}: the caller writes the whole IPv4 header (IP_HDRINCL is implied). */
    static final int IPPROTO_RAW = 255;
    static final int SOCKADDR_IN_LENGTH = 16;
    static final int ICMP_DEST_UNREACH = 3;
    static final int ICMP_PROT_UNREACH = 2;
    private static final int RECEIVE_BYTES = 2048;

    static
    {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private TestSockets()
    {
    }

    static native int socket(int domain, int type, int protocol);

    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    static native long recv(int fd, byte[] buffer, long length, int flags);

    static native int close(int fd);

    /** A raw socket of the calling thread's namespace; throws with errno on failure. */
    static int open(final int protocol)
    {
        final int fd = socket(Syscalls.AF_INET, Syscalls.SOCK_RAW | Syscalls.SOCK_NONBLOCK | Syscalls.SOCK_CLOEXEC,
            protocol);
        if (fd < 0)
        {
            throw new IllegalStateException("socket(AF_INET, SOCK_RAW, " + protocol + ") failed: " +
                Errno.name(Native.getLastError()));
        }
        return fd;
    }

    /** Sends a whole IPv4 packet (header included) on an IPPROTO_RAW socket to its destination. */
    static void sendPacket(final int fd, final byte[] packet, final int destination)
    {
        final byte[] address = ByteBuffer.allocate(SOCKADDR_IN_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short)Syscalls.AF_INET).order(ByteOrder.BIG_ENDIAN).putShort((short)0).putInt(destination)
            .array();
        final long sent = sendto(fd, packet, packet.length, 0, address, SOCKADDR_IN_LENGTH);
        if (sent != packet.length)
        {
            throw new IllegalStateException("sendto failed: " + sent + ", " + Errno.name(Native.getLastError()));
        }
    }

    /**
     * Drains an ICMP socket without waiting.
     *
     * @return how many ICMP "protocol unreachable" messages from {@code from} were waiting.
     */
    static int drainProtocolUnreachables(final int fd, final int from)
    {
        final byte[] buffer = new byte[RECEIVE_BYTES];
        int found = 0;
        while (true)
        {
            final long received = recv(fd, buffer, buffer.length, Syscalls.MSG_DONTWAIT);
            if (received < 0)
            {
                return found;
            }
            final ByteBuffer packet = ByteBuffer.wrap(buffer, 0, (int)received);
            final int headerLength = (packet.get(0) & 0x0F) * 4;
            if (received >= headerLength + 2 && packet.getInt(12) == from &&
                (packet.get(headerLength) & 0xFF) == ICMP_DEST_UNREACH &&
                (packet.get(headerLength + 1) & 0xFF) == ICMP_PROT_UNREACH)
            {
                found++;
            }
        }
    }
}
