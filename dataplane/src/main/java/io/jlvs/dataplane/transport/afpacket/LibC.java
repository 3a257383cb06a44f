package io.jlvs.dataplane.transport.afpacket;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls the AF_PACKET transport needs, bound by JNA direct mapping. Pointers are passed as {@code long}
 * addresses and sizes as {@code long}/{@code int} (LP64: {@code size_t} is 64 bits, {@code socklen_t} 32), so no call
 * allocates a Java object. On failure a call returns -1 and errno is read with {@link Native#getLastError()}, which JNA
 * records after every direct call; no call throws.
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

    static native int bind(int fd, long address, int addressLength);

    static native int setsockopt(int fd, int level, int name, long value, int valueLength);

    static native int getsockopt(int fd, int level, int name, long value, long valueLengthAddress);

    /** {@code int ioctl(int fd, unsigned long request, ...)}: every request used here takes one pointer. */
    static native int ioctl(int fd, long request, long argument);

    /** Returns the mapping's address, or {@code MAP_FAILED} (-1). */
    static native long mmap(long address, long length, int protection, int flags, int fd, long offset);

    static native int munmap(long address, long length);

    static native int close(int fd);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}: nfds_t is unsigned long. */
    static native int poll(long fds, long count, int timeoutMs);

    /** {@code int clock_gettime(clockid_t clock, struct timespec *tp)}: two 64-bit fields on LP64. */
    static native int clock_gettime(int clock, long timespec);

    /** Returns how many messages were sent (possibly fewer than {@code length}), or -1 if the first one failed. */
    static native int sendmmsg(int fd, long messages, int length, int flags);
}
