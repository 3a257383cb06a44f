package io.jlvs.endpoint;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the tunnel endpoint needs, bound by JNA direct mapping. Pointers are passed as {@code long}
 * addresses and sizes as {@code long}/{@code int} (LP64: {@code size_t} is 64 bits, {@code socklen_t} 32), so no
 * call allocates a Java object. On failure a call returns -1 and errno is read with {@link Native#getLastError()};
 * no call throws.
 */
final class LibC
{
    static
    {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC()
    {
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, long value, int valueLength);

    /** {@code int ioctl(int fd, unsigned long request, ...)}: every request used here takes one pointer. */
    static native int ioctl(int fd, long request, long argument);

    static native int open(String path, int flags);

    static native int close(int fd);

    /** Returns how many bytes were written, or -1. */
    static native long write(int fd, long buffer, long count);

    static native long send(int fd, long buffer, long length, int flags);

    static native long recv(int fd, long buffer, long length, int flags);

    /** Returns how many messages were received (the {@code timeout} pointer is always NULL here), or -1. */
    static native int recvmmsg(int fd, long messages, int length, int flags, long timeout);

    /** Returns how many descriptors are ready, 0 on timeout, or -1. */
    static native int poll(long fds, long count, int timeoutMs);
}
