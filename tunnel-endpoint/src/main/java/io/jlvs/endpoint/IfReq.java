package io.jlvs.endpoint;

/**
 * Layout of {@code struct ifreq} ({@code include/uapi/linux/if.h}) and the ioctls that fill it, the same on x86-64
 * and aarch64 ({@code asm-generic/ioctl.h}, {@code asm-generic/sockios.h}, LP64).
 * <pre>
 * struct ifreq (40 bytes)
 *   0 char ifr_name[16]
 *  16 union (24 bytes: the largest member is struct ifmap)
 *       short ifr_flags | int ifr_ifindex
 * </pre>
 */
final class IfReq
{
    /** {@code IFNAMSIZ}, including the terminating NUL. */
    static final int NAME_LENGTH = 16;
    static final int MAX_NAME_CHARS = NAME_LENGTH - 1;
    static final int NAME_OFFSET = 0;
    static final int UNION_OFFSET = NAME_OFFSET + NAME_LENGTH;
    /** {@code sizeof(struct ifmap)} on LP64: two unsigned longs, a short and three bytes, padded to 8. */
    static final int UNION_LENGTH = 24;
    static final int LENGTH = UNION_OFFSET + UNION_LENGTH;

    static final int FLAGS_OFFSET = UNION_OFFSET;
    static final int IFINDEX_OFFSET = UNION_OFFSET;

    static final int SIOCGIFNAME = 0x8910;
    static final int SIOCGIFFLAGS = 0x8913;
    static final int SIOCSIFFLAGS = 0x8914;
    /** {@code _IOW('T', 202, int)}: direction write (1) in bits 30-31, size 4 in bits 16-29, type 'T', number 202. */
    static final long TUNSETIFF = 0x400454CAL;

    static final int IFF_UP = 0x1;
    static final int IFF_TUN = 0x0001;
    /** No 4-byte packet-information prefix: a write is one IP packet, its version nibble says which. */
    static final int IFF_NO_PI = 0x1000;
    /** Each write starts with a {@code struct virtio_net_hdr} ({@link VirtioNetHeader}). */
    static final int IFF_VNET_HDR = 0x4000;

    private IfReq()
    {
    }
}
