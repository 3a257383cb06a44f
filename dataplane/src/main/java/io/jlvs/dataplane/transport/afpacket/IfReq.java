package io.jlvs.dataplane.transport.afpacket;

/**
 * Layout of {@code struct ifreq} ({@code include/uapi/linux/if.h}) and the interface ioctls that fill it; the same on
 * x86-64 and aarch64 ({@code asm-generic/sockios.h}, LP64).
 * <pre>
 * struct ifreq (40 bytes)
 *   0 char ifr_name[16]
 *  16 union (24 bytes: the largest member is struct ifmap)
 *       int ifr_ifindex | int ifr_mtu
 *       struct sockaddr ifr_hwaddr: 16 u16 sa_family (ARPHRD_*), 18 u8 sa_data[14] (the MAC in the first 6)
 *       struct sockaddr_in ifr_addr: 16 u16 sin_family, 18 be16 sin_port, 20 be32 sin_addr
 * </pre>
 */
final class IfReq
{
    /** {@code IFNAMSIZ}, including the terminating NUL. */
    static final int NAME_LENGTH = 16;
    static final int NAME_OFFSET = 0;
    static final int UNION_OFFSET = NAME_OFFSET + NAME_LENGTH;
    /** {@code sizeof(struct ifmap)} on LP64: two unsigned longs, a short and three bytes, padded to 8. */
    static final int UNION_LENGTH = 24;
    static final int LENGTH = UNION_OFFSET + UNION_LENGTH;

    static final int IFINDEX_OFFSET = UNION_OFFSET;
    static final int MTU_OFFSET = UNION_OFFSET;
    static final int HWADDR_FAMILY_OFFSET = UNION_OFFSET;
    static final int HWADDR_DATA_OFFSET = HWADDR_FAMILY_OFFSET + 2;
    static final int ADDR_FAMILY_OFFSET = UNION_OFFSET;
    static final int ADDR_PORT_OFFSET = ADDR_FAMILY_OFFSET + 2;
    static final int ADDR_IPV4_OFFSET = ADDR_PORT_OFFSET + 2;

    static final int SIOCGIFADDR = 0x8915;
    static final int SIOCGIFHWADDR = 0x8927;
    static final int SIOCGIFMTU = 0x8921;
    static final int SIOCGIFINDEX = 0x8933;

    /** {@code ARPHRD_ETHER}: an Ethernet (or Ethernet-like: veth, bridge, virtio) interface. */
    static final int ARPHRD_ETHER = 1;

    private IfReq()
    {
    }
}
