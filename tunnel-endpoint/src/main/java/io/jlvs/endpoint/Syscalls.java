package io.jlvs.endpoint;

import com.sun.jna.Native;

/**
 * Constants of the socket API ({@code asm-generic/socket.h}, {@code linux/in.h}, {@code bits/poll.h}; the same on
 * x86-64 and aarch64) and the Netty-style convention every wrapper here follows: a call returns its result or
 * {@code -errno}, never throws.
 */
final class Syscalls
{
    static final int AF_INET = 2;
    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK} (= {@code O_NONBLOCK}, 04000): no receive call ever waits; {@code poll} does. */
    static final int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC} (= {@code O_CLOEXEC}, 02000000): a child process never inherits the descriptor. */
    static final int SOCK_CLOEXEC = 0x80000;

    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_BINDTODEVICE = 25;
    /** {@code SO_RCVBUFFORCE}: like SO_RCVBUF but past net.core.rmem_max, with CAP_NET_ADMIN. */
    static final int SO_RCVBUFFORCE = 33;

    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final short POLLIN = 0x1;

    private Syscalls()
    {
    }

    /** errno of the calling thread's last native call. */
    static int errno()
    {
        return Native.getLastError();
    }

    /** {@code value}, or {@code -errno} when the call failed (returned a negative value). */
    static int result(final int value)
    {
        return value < 0 ? -errno() : value;
    }

    /** {@code value}, or {@code -errno} when the call failed (returned a negative value). */
    static long result(final long value)
    {
        return value < 0 ? -errno() : value;
    }
}
