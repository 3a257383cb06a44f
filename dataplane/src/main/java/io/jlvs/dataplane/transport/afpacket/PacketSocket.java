package io.jlvs.dataplane.transport.afpacket;

import com.sun.jna.Native;
import io.jlvs.dataplane.transport.BpfProgram;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.ref.Reference;
import java.nio.ByteOrder;

/**
 * One packet socket's system calls, Netty-style: each wrapper returns its result or {@code -errno} and never throws,
 * so expected conditions ({@code EAGAIN}, {@code EINTR}) cost no exception; {@link AfPacketTransport#open} turns
 * start-up failures into exceptions with a message.
 * <p>
 * The scratch memory for option values and addresses is used only while the socket is set up, on the opening thread.
 * The per-batch calls ({@link #sendmmsg}, {@link #readStatistics}) take memory their caller owns, so the TX and the RX
 * thread never share any.
 */
final class PacketSocket implements StatisticsReader
{
    static final int AF_INET = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK} (= {@code O_NONBLOCK}, 04000 on x86-64 and aarch64): no call ever waits. */
    static final int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC} (= {@code O_CLOEXEC}, 02000000): a child process never inherits the socket. */
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    /** {@code SO_SNDBUFFORCE}: like SO_SNDBUF but past net.core.wmem_max, with CAP_NET_ADMIN. */
    static final int SO_SNDBUFFORCE = 32;
    /** {@code SO_ATTACH_FILTER}: a classic BPF receive filter ({@code struct sock_fprog}). */
    static final int SO_ATTACH_FILTER = 26;

    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_VNET_HDR = 15;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_FANOUT_DATA = 22;
    static final int PACKET_QDISC_BYPASS = 20;
    /** Linux 4.20+; older kernels answer ENOPROTOOPT. */
    static final int PACKET_IGNORE_OUTGOING = 23;
    /** The fanout mode and flags go in the upper 16 bits of the PACKET_FANOUT argument, the group id in the lower. */
    static final int FANOUT_MODE_SHIFT = 16;

    /** {@code ETH_P_ALL}: every protocol (host byte order; sockaddr_ll wants it big-endian). */
    static final int ETH_P_ALL = 0x0003;
    /** {@code MSG_DONTWAIT}: this call does not wait even on a blocking socket. */
    static final int MSG_DONTWAIT = 0x40;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;

    /** Room for a ring request or an ifreq (BPF programs get memory of their own size). */
    private static final int SCRATCH_BYTES = 128;
    /** {@code struct sock_fprog}: 16 bytes on LP64, the filter pointer at 8. */
    private static final int FPROG_LENGTH = 16;
    private static final int FPROG_FILTER_OFFSET = 8;
    private static final int CACHE_LINE_BYTES = 64;

    /** {@code struct pollfd}: int fd, short events, short revents. */
    private static final int POLLFD_EVENTS_OFFSET = 4;
    private static final int POLLFD_REVENTS_OFFSET = 6;
    private static final int POLLFD_LENGTH = 8;
    /** {@code POLLIN}: for a ring socket, the kernel has handed a slot or block to user space. */
    private static final short POLLIN = 0x1;

    private final int fd;
    private final UnsafeBuffer scratch;
    /** The capture thread's own: poll() runs there while the control side may use {@link #scratch}. */
    private final UnsafeBuffer pollFd;

    PacketSocket(final int fd)
    {
        this.fd = fd;
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SCRATCH_BYTES, CACHE_LINE_BYTES));
        this.pollFd = new UnsafeBuffer(BufferUtil.allocateDirectAligned(POLLFD_LENGTH, POLLFD_LENGTH));
        pollFd.putInt(0, fd);
        pollFd.putShort(POLLFD_EVENTS_OFFSET, POLLIN);
    }

    /** A non-blocking packet socket bound to no protocol yet (so it sees nothing until {@link #bind}), or -errno. */
    static int createPacketSocket()
    {
        return result(LibC.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    }

    /** A UDP socket, only for interface ioctls (needs no privilege), or -errno. */
    static int createInetSocket()
    {
        return result(LibC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    }

    /** errno of the calling thread's last native call. */
    static int errno()
    {
        return Native.getLastError();
    }

    private static int result(final int value)
    {
        return value < 0 ? -errno() : value;
    }

    int fd()
    {
        return fd;
    }

    /** Control-plane scratch memory (at least 40 bytes: an ifreq), for the opening thread only. */
    UnsafeBuffer scratch()
    {
        return scratch;
    }

    int setIntOption(final int level, final int name, final int value)
    {
        scratch.putInt(0, value);
        return result(LibC.setsockopt(fd, level, name, scratch.addressOffset(), Integer.BYTES));
    }

    /** {@code PACKET_FANOUT_DATA}: the classic BPF program that picks a fanout group's socket for each frame. */
    int setFanoutProgram(final BpfProgram program)
    {
        return setProgram(SOL_PACKET, PACKET_FANOUT_DATA, program);
    }

    /**
     * {@code SO_ATTACH_FILTER}: the socket's receive filter; a frame it returns 0 for never reaches the socket (nor
     * its ring), one it accepts is cut to the length it returns.
     */
    int attachFilter(final BpfProgram program)
    {
        return setProgram(SOL_SOCKET, SO_ATTACH_FILTER, program);
    }

    /**
     * A classic BPF program as option {@code level}/{@code name}: {@code struct sock_fprog} { u16 len; (pad);
     * struct sock_filter *filter } pointing at {@code struct sock_filter} { u16 code; u8 jt; u8 jf; u32 k } entries.
     * The kernel copies the program during the call, so the memory is the call's own (set-up time, not per frame).
     */
    private int setProgram(final int level, final int name, final BpfProgram program)
    {
        final int filter = FPROG_LENGTH;
        final UnsafeBuffer fprog = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            FPROG_LENGTH + program.length() * Long.BYTES, CACHE_LINE_BYTES));
        for (int i = 0; i < program.length(); i++)
        {
            fprog.putLong(filter + i * Long.BYTES, program.instruction(i));
        }
        fprog.putShort(0, (short)program.length());
        fprog.putLong(FPROG_FILTER_OFFSET, fprog.addressOffset() + filter);
        final int result = result(LibC.setsockopt(fd, level, name, fprog.addressOffset(), FPROG_LENGTH));
        // The direct buffer must outlive the call: keep it reachable until setsockopt has returned.
        Reference.reachabilityFence(fprog);
        return result;
    }

    /**
     * {@code PACKET_RX_RING} with a {@code struct tpacket_req3}; for a TPACKET_V2 socket the kernel reads only its
     * first four fields (a {@code struct tpacket_req}), so the same call sets up both.
     */
    int setRxRing(final int blockSize, final int blockCount, final int frameSize, final int retireTimeoutMs)
    {
        scratch.setMemory(0, TpacketV3.REQ_LENGTH, (byte)0);
        scratch.putInt(TpacketV3.REQ_BLOCK_SIZE_OFFSET, blockSize);
        scratch.putInt(TpacketV3.REQ_BLOCK_NR_OFFSET, blockCount);
        scratch.putInt(TpacketV3.REQ_FRAME_SIZE_OFFSET, frameSize);
        scratch.putInt(TpacketV3.REQ_FRAME_NR_OFFSET, (blockSize / frameSize) * blockCount);
        scratch.putInt(TpacketV3.REQ_RETIRE_BLK_TOV_OFFSET, retireTimeoutMs);
        return result(LibC.setsockopt(
            fd, SOL_PACKET, PACKET_RX_RING, scratch.addressOffset(), TpacketV3.REQ_LENGTH));
    }

    /** Maps the socket's ring(s) read/write and shared with the kernel; the address, or -errno. */
    long mmap(final long length)
    {
        final long address = LibC.mmap(0, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        return address == MAP_FAILED ? -errno() : address;
    }

    static int munmap(final long address, final long length)
    {
        return result(LibC.munmap(address, length));
    }

    /** Binds to one interface and protocol: from now on the socket sees that interface's frames only. */
    int bind(final int ifindex, final int protocol)
    {
        scratch.setMemory(0, TpacketV3.SLL_LENGTH, (byte)0);
        scratch.putShort(TpacketV3.SLL_FAMILY_OFFSET, (short)AF_PACKET);
        scratch.putShort(TpacketV3.SLL_PROTOCOL_OFFSET, (short)protocol, ByteOrder.BIG_ENDIAN);
        scratch.putInt(TpacketV3.SLL_IFINDEX_OFFSET, ifindex);
        return result(LibC.bind(fd, scratch.addressOffset(), TpacketV3.SLL_LENGTH));
    }

    /** An ioctl whose argument is the memory at {@code argument}; 0 or -errno. */
    int ioctl(final int request, final long argument)
    {
        return result(LibC.ioctl(fd, request, argument));
    }

    /**
     * Sends {@code count} messages from the {@code struct mmsghdr} array at {@code messages}.
     *
     * @return how many were sent, or -errno when the first one failed.
     */
    int sendmmsg(final long messages, final int count, final int flags)
    {
        return result(LibC.sendmmsg(fd, messages, count, flags));
    }

    /**
     * Waits up to {@code timeoutMs} for the RX ring to have something for user space (or an error on the socket).
     *
     * @return 1 when it has, 0 on timeout, or -errno (EINTR when a signal arrived).
     */
    int awaitReadable(final int timeoutMs)
    {
        pollFd.putShort(POLLFD_REVENTS_OFFSET, (short)0);
        return result(LibC.poll(pollFd.addressOffset(), 1, timeoutMs));
    }

    @Override
    public int readStatistics(final long statsAddress, final long lengthAddress)
    {
        return result(LibC.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, statsAddress, lengthAddress));
    }

    int close()
    {
        return result(LibC.close(fd));
    }
}
