package io.jlvs.endpoint;

/**
 * The errno values the endpoint tells apart ({@code asm-generic/errno-base.h} and {@code asm-generic/errno.h},
 * which x86-64 and aarch64 both use unchanged), and their names for messages.
 */
final class Errno
{
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EPROTONOSUPPORT = 93;

    private Errno()
    {
    }

    /** The symbolic name of {@code errno}, e.g. {@code "EBUSY"}; {@code "errno N"} when not one of these. */
    static String name(final int errno)
    {
        switch (errno)
        {
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case EINTR: return "EINTR";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case EACCES: return "EACCES";
            case EBUSY: return "EBUSY";
            case EEXIST: return "EEXIST";
            case ENODEV: return "ENODEV";
            case EINVAL: return "EINVAL";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            default: return "errno " + errno;
        }
    }
}
