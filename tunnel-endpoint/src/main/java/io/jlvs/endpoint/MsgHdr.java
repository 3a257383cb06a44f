package io.jlvs.endpoint;

/**
 * Layouts of {@code struct mmsghdr}, {@code struct msghdr}, {@code struct iovec} (for {@code recvmmsg(2)}) and
 * {@code struct pollfd} (for {@code poll(2)}), identical on x86-64 and aarch64 (LP64: pointers and {@code size_t}
 * are 8 bytes, {@code socklen_t} and {@code int} 4, and the compiler pads each pointer to 8).
 * <pre>
 * struct mmsghdr (64 bytes)                       struct iovec (16 bytes)
 *   0 struct msghdr msg_hdr (56 bytes)              0 void  *iov_base
 *       0 void         *msg_name                    8 size_t iov_len
 *       8 socklen_t     msg_namelen, 12 pad
 *      16 struct iovec *msg_iov                   struct pollfd (8 bytes)
 *      24 size_t        msg_iovlen                  0 int   fd
 *      32 void         *msg_control                 4 short events
 *      40 size_t        msg_controllen              6 short revents
 *      48 int           msg_flags (set by the kernel: MSG_TRUNC), 52 pad
 *  56 unsigned int msg_len (bytes received, set by the kernel), 60 pad
 * </pre>
 */
final class MsgHdr
{
    static final int POINTER = 8;
    static final int SIZE_T = 8;

    static final int MSG_NAME_OFFSET = 0;
    static final int MSG_NAMELEN_OFFSET = MSG_NAME_OFFSET + POINTER;
    /** msg_iov is a pointer: 8-aligned after the 4-byte msg_namelen. */
    static final int MSG_IOV_OFFSET = MSG_NAMELEN_OFFSET + POINTER;
    static final int MSG_IOVLEN_OFFSET = MSG_IOV_OFFSET + POINTER;
    static final int MSG_CONTROL_OFFSET = MSG_IOVLEN_OFFSET + SIZE_T;
    static final int MSG_CONTROLLEN_OFFSET = MSG_CONTROL_OFFSET + POINTER;
    static final int MSG_FLAGS_OFFSET = MSG_CONTROLLEN_OFFSET + SIZE_T;
    /** sizeof(struct msghdr): msg_flags plus padding to the struct's 8-byte alignment. */
    static final int MSGHDR_LENGTH = MSG_FLAGS_OFFSET + POINTER;

    static final int MMSG_HDR_OFFSET = 0;
    static final int MMSG_LEN_OFFSET = MMSG_HDR_OFFSET + MSGHDR_LENGTH;
    /** sizeof(struct mmsghdr): msg_len plus padding to 8. */
    static final int MMSGHDR_LENGTH = MMSG_LEN_OFFSET + POINTER;

    static final int IOV_BASE_OFFSET = 0;
    static final int IOV_LEN_OFFSET = IOV_BASE_OFFSET + POINTER;
    static final int IOVEC_LENGTH = IOV_LEN_OFFSET + SIZE_T;

    static final int POLLFD_FD_OFFSET = 0;
    static final int POLLFD_EVENTS_OFFSET = POLLFD_FD_OFFSET + Integer.BYTES;
    static final int POLLFD_REVENTS_OFFSET = POLLFD_EVENTS_OFFSET + Short.BYTES;
    static final int POLLFD_LENGTH = POLLFD_REVENTS_OFFSET + Short.BYTES;

    private MsgHdr()
    {
    }
}
