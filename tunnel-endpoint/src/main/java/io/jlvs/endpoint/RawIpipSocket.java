package io.jlvs.endpoint;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Where an IPIP packet enters: a raw IPv4 socket for protocol 4, optionally bound to one interface. The kernel hands
 * it every IPIP datagram addressed to this host, outer header included and already reassembled; and because a raw
 * socket took the protocol, the kernel no longer answers those datagrams with ICMP "protocol unreachable"
 * ({@code ip_protocol_deliver_rcu} sends it only when no raw socket matched and no protocol handler exists, which is
 * the case without the {@code ipip} module).
 * <p>
 * Packets are received in batches with {@code recvmmsg} into native slots preallocated at open: a receive allocates
 * nothing. The socket is non-blocking; {@link #awaitReadable} waits in {@code poll(2)}.
 */
final class RawIpipSocket implements AutoCloseable
{
    static final int IPPROTO_IPIP = 4;
    private static final int CACHE_LINE_BYTES = 64;
    private static final int SCRATCH_BYTES = 64;
    /** 4 MiB: room for a burst of full-size datagrams while the loop is descheduled. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final int fd;
    private final int batchSize;
    private final int slotBytes;
    private final UnsafeBuffer messages;
    private final UnsafeBuffer iovecs;
    private final UnsafeBuffer slots;
    private final UnsafeBuffer pollFd;
    private boolean closed;

    private RawIpipSocket(final int fd, final int batchSize, final int slotBytes)
    {
        this.fd = fd;
        this.batchSize = batchSize;
        this.slotBytes = slotBytes;
        messages = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            batchSize * MsgHdr.MMSGHDR_LENGTH, CACHE_LINE_BYTES));
        iovecs = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            batchSize * MsgHdr.IOVEC_LENGTH, CACHE_LINE_BYTES));
        slots = new UnsafeBuffer(BufferUtil.allocateDirectAligned(batchSize * slotBytes, CACHE_LINE_BYTES));
        pollFd = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MsgHdr.POLLFD_LENGTH, CACHE_LINE_BYTES));
        for (int i = 0; i < batchSize; i++)
        {
            final int iov = i * MsgHdr.IOVEC_LENGTH;
            iovecs.putLong(iov + MsgHdr.IOV_BASE_OFFSET, slots.addressOffset() + (long)i * slotBytes);
            iovecs.putLong(iov + MsgHdr.IOV_LEN_OFFSET, slotBytes);
            final int message = i * MsgHdr.MMSGHDR_LENGTH;
            messages.putLong(message + MsgHdr.MSG_NAME_OFFSET, 0L);
            messages.putInt(message + MsgHdr.MSG_NAMELEN_OFFSET, 0);
            messages.putLong(message + MsgHdr.MSG_IOV_OFFSET, iovecs.addressOffset() + iov);
            messages.putLong(message + MsgHdr.MSG_IOVLEN_OFFSET, 1L);
            messages.putLong(message + MsgHdr.MSG_CONTROL_OFFSET, 0L);
            messages.putLong(message + MsgHdr.MSG_CONTROLLEN_OFFSET, 0L);
        }
        pollFd.putInt(MsgHdr.POLLFD_FD_OFFSET, fd);
        pollFd.putShort(MsgHdr.POLLFD_EVENTS_OFFSET, Syscalls.POLLIN);
    }

    /**
     * Opens the socket in the calling thread's network namespace.
     *
     * @param interfaceName receive only IPIP arriving on this interface ({@code SO_BINDTODEVICE}), or {@code null}
     *                      for any; IPIP arriving elsewhere is then answered by the kernel as before.
     * @throws EndpointException naming the call and errno when the socket cannot be opened or bound.
     */
    static RawIpipSocket open(final String interfaceName, final int batchSize, final int slotBytes)
    {
        final int fd = Syscalls.result(LibC.socket(
            Syscalls.AF_INET, Syscalls.SOCK_RAW | Syscalls.SOCK_NONBLOCK | Syscalls.SOCK_CLOEXEC, IPPROTO_IPIP));
        if (fd < 0)
        {
            throw new EndpointException("socket(AF_INET, SOCK_RAW, IPPROTO_IPIP) failed: " + Errno.name(-fd) +
                (-fd == Errno.EPERM ? " (needs root or CAP_NET_RAW)" : ""));
        }
        final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SCRATCH_BYTES,
            CACHE_LINE_BYTES));
        if (interfaceName != null)
        {
            final byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
            scratch.setMemory(0, IfReq.NAME_LENGTH, (byte)0);
            scratch.putBytes(0, name);
            final int bound = Syscalls.result(LibC.setsockopt(
                fd, Syscalls.SOL_SOCKET, Syscalls.SO_BINDTODEVICE, scratch.addressOffset(), name.length + 1));
            if (bound < 0)
            {
                LibC.close(fd);
                throw new EndpointException("cannot bind the IPIP socket to interface '" + interfaceName + "': " +
                    Errno.name(-bound) + (-bound == Errno.ENODEV ? " (no such interface)" : ""));
            }
        }
        scratch.putInt(0, RECEIVE_BUFFER_BYTES);
        if (Syscalls.result(LibC.setsockopt(
            fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUFFORCE, scratch.addressOffset(), Integer.BYTES)) < 0)
        {
            // without CAP_NET_ADMIN: the plain option, capped at net.core.rmem_max, is still better than the default
            LibC.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVBUF, scratch.addressOffset(), Integer.BYTES);
        }
        return new RawIpipSocket(fd, batchSize, slotBytes);
    }

    /**
     * Receives up to a batch without waiting.
     *
     * @return how many packets arrived (0 when none), or -errno ({@code EAGAIN} never: that is 0).
     */
    int receive()
    {
        final int received = LibC.recvmmsg(fd, messages.addressOffset(), batchSize, Syscalls.MSG_DONTWAIT, 0L);
        if (received >= 0)
        {
            return received;
        }
        final int errno = Syscalls.errno();
        return errno == Errno.EAGAIN ? 0 : -errno;
    }

    /** Waits until a packet can be read or {@code timeoutMs} passes; &gt; 0 when readable, 0, or -errno. */
    int awaitReadable(final int timeoutMs)
    {
        return Syscalls.result(LibC.poll(pollFd.addressOffset(), 1, timeoutMs));
    }

    /** All slots; packet {@code i} of the last batch starts at {@link #slotOffset(int)}. */
    UnsafeBuffer slots()
    {
        return slots;
    }

    int slotOffset(final int i)
    {
        return i * slotBytes;
    }

    /** Bytes of packet {@code i} of the last batch that are in its slot. */
    int length(final int i)
    {
        return messages.getInt(i * MsgHdr.MMSGHDR_LENGTH + MsgHdr.MMSG_LEN_OFFSET);
    }

    /** Whether packet {@code i} of the last batch was larger than its slot (its tail is lost). */
    boolean truncated(final int i)
    {
        return (messages.getInt(i * MsgHdr.MMSGHDR_LENGTH + MsgHdr.MSG_FLAGS_OFFSET) & Syscalls.MSG_TRUNC) != 0;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.close(fd);
        }
    }
}
