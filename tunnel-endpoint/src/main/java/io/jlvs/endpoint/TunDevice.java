package io.jlvs.endpoint;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Where the inner packet leaves: a TUN device ({@code drivers/net/tun.c}) opened with {@code IFF_TUN | IFF_NO_PI |
 * IFF_VNET_HDR}. Each {@code write} of a {@code struct virtio_net_hdr} followed by an IP packet makes the kernel
 * receive that packet on the device, as if it had arrived on a wire, so the local server sees the client's packet.
 * One write is one packet: that is the TUN API, there is no batched write.
 * <p>
 * The device is not persistent: closing the descriptor removes it, so a crashed endpoint leaves nothing behind.
 * The endpoint never reads from it; anything the host routes into the device is dropped by the device's queue.
 */
final class TunDevice implements AutoCloseable
{
    static final String CLONE_DEVICE = "/dev/net/tun";
    private static final int CACHE_LINE_BYTES = 64;

    private final int fd;
    private final String name;
    private boolean closed;

    private TunDevice(final int fd, final String name)
    {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Creates the device {@code requestedName} in the calling thread's network namespace and brings it up.
     *
     * @throws EndpointException saying why, with errno, when it cannot.
     */
    static TunDevice open(final String requestedName)
    {
        final int fd = LibC.open(CLONE_DEVICE, Syscalls.O_RDWR | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = Syscalls.errno();
            throw new EndpointException("cannot open " + CLONE_DEVICE + ": " + Errno.name(errno) +
                (errno == Errno.ENOENT || errno == Errno.ENODEV ?
                    " (load the tun module: modprobe tun; in a container, pass the device in)" :
                errno == Errno.EACCES || errno == Errno.EPERM ? " (needs root or CAP_NET_ADMIN)" : ""));
        }
        final UnsafeBuffer ifreq = new UnsafeBuffer(BufferUtil.allocateDirectAligned(IfReq.LENGTH, CACHE_LINE_BYTES));
        putName(ifreq, requestedName);
        ifreq.putShort(IfReq.FLAGS_OFFSET, (short)(IfReq.IFF_TUN | IfReq.IFF_NO_PI | IfReq.IFF_VNET_HDR));
        final int set = Syscalls.result(LibC.ioctl(fd, IfReq.TUNSETIFF, ifreq.addressOffset()));
        if (set < 0)
        {
            LibC.close(fd);
            throw new EndpointException("cannot create TUN device '" + requestedName + "': " + Errno.name(-set) +
                explainSetIff(-set));
        }
        final String name = getName(ifreq);
        final int up = bringUp(name);
        if (up < 0)
        {
            LibC.close(fd);
            throw new EndpointException("cannot bring TUN device '" + name + "' up: " + Errno.name(-up));
        }
        return new TunDevice(fd, name);
    }

    /** The device's name as the kernel gave it (the requested one, or a {@code %d} pattern filled in). */
    String name()
    {
        return name;
    }

    /** Writes one virtio_net_hdr + IP packet; the bytes written, or -errno. Allocates nothing. */
    long write(final long address, final int length)
    {
        return Syscalls.result(LibC.write(fd, address, length));
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

    private static String explainSetIff(final int errno)
    {
        switch (errno)
        {
            case Errno.EBUSY:
                return " (the device is in use: another tunnel-endpoint runs? choose another name)";
            case Errno.EINVAL:
                return " (a device of that name exists and is not a TUN device with these flags, or the name is " +
                    "invalid)";
            case Errno.EPERM:
                return " (needs root or CAP_NET_ADMIN)";
            default:
                return "";
        }
    }

    /** SIOCGIFFLAGS then SIOCSIFFLAGS with IFF_UP, on a throw-away socket of the calling thread's namespace. */
    private static int bringUp(final String name)
    {
        final int socket = Syscalls.result(LibC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC,
            0));
        if (socket < 0)
        {
            return socket;
        }
        try
        {
            final UnsafeBuffer ifreq = new UnsafeBuffer(BufferUtil.allocateDirectAligned(IfReq.LENGTH,
                CACHE_LINE_BYTES));
            putName(ifreq, name);
            final int got = Syscalls.result(LibC.ioctl(socket, IfReq.SIOCGIFFLAGS, ifreq.addressOffset()));
            if (got < 0)
            {
                return got;
            }
            ifreq.putShort(IfReq.FLAGS_OFFSET, (short)(ifreq.getShort(IfReq.FLAGS_OFFSET) | IfReq.IFF_UP));
            return Syscalls.result(LibC.ioctl(socket, IfReq.SIOCSIFFLAGS, ifreq.addressOffset()));
        }
        finally
        {
            LibC.close(socket);
        }
    }

    static void putName(final UnsafeBuffer ifreq, final String name)
    {
        ifreq.setMemory(0, IfReq.LENGTH, (byte)0);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        ifreq.putBytes(IfReq.NAME_OFFSET, bytes, 0, Math.min(bytes.length, IfReq.MAX_NAME_CHARS));
    }

    static String getName(final UnsafeBuffer ifreq)
    {
        int length = 0;
        while (length < IfReq.MAX_NAME_CHARS && ifreq.getByte(IfReq.NAME_OFFSET + length) != 0)
        {
            length++;
        }
        final byte[] bytes = new byte[length];
        ifreq.getBytes(IfReq.NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
