package io.jlvs.endpoint;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the IPv4 addresses of the calling thread's network namespace with one {@code RTM_GETADDR} dump over
 * rtnetlink ({@code ip -4 addr} does the same), and names their devices with {@code SIOCGIFNAME}. Control path only.
 * <pre>
 * struct nlmsghdr (16)          struct ifaddrmsg (8)          struct rtattr (4) + data, padded to 4
 *   0 u32 nlmsg_len               16 u8  ifa_family              0 u16 rta_len (header included)
 *   4 u16 nlmsg_type              17 u8  ifa_prefixlen           2 u16 rta_type (IFA_LOCAL: the address)
 *   6 u16 nlmsg_flags             18 u8  ifa_flags
 *   8 u32 nlmsg_seq               19 u8  ifa_scope
 *  12 u32 nlmsg_pid               20 u32 ifa_index
 * </pre>
 * Netlink headers are in host byte order; the addresses in attributes are in network order.
 */
final class NetlinkAddresses
{
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_LEN_OFFSET = 0;
    private static final int NLMSG_TYPE_OFFSET = NLMSG_LEN_OFFSET + 4;
    private static final int NLMSG_FLAGS_OFFSET = NLMSG_TYPE_OFFSET + 2;
    private static final int NLMSG_SEQ_OFFSET = NLMSG_FLAGS_OFFSET + 2;
    private static final int NLMSG_PID_OFFSET = NLMSG_SEQ_OFFSET + 4;
    private static final int NLMSG_HEADER_LENGTH = NLMSG_PID_OFFSET + 4;
    private static final int IFA_FAMILY_OFFSET = NLMSG_HEADER_LENGTH;
    private static final int IFA_PREFIXLEN_OFFSET = IFA_FAMILY_OFFSET + 1;
    private static final int IFA_INDEX_OFFSET = IFA_PREFIXLEN_OFFSET + 3;
    private static final int IFADDRMSG_END = IFA_INDEX_OFFSET + 4;
    private static final int RTA_LEN_OFFSET = 0;
    private static final int RTA_TYPE_OFFSET = 2;
    private static final int RTA_HEADER_LENGTH = 4;
    private static final int ALIGN = 4;

    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;
    private static final int NLM_F_REQUEST = 0x1;
    /** {@code NLM_F_ROOT | NLM_F_MATCH}: every address, not one. */
    private static final int NLM_F_DUMP = 0x300;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IPV4_BYTES = 4;
    private static final int SEQUENCE = 1;
    private static final long NO_ADDRESS = -1L;
    private static final long UINT_MASK = 0xFFFF_FFFFL;

    /** Room for a few dozen addresses per datagram; the kernel fills at most this much at a time. */
    private static final int RECEIVE_BYTES = 32 * 1024;
    /** A dump answers in microseconds; a timeout only keeps a broken kernel from hanging the check. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 2;
    /** Bounds the loop: a dump of a host with thousands of addresses still ends long before this. */
    private static final int MAX_DATAGRAMS = 10_000;
    private static final int TIMEVAL_LENGTH = 16;
    private static final int CACHE_LINE_BYTES = 64;

    private NetlinkAddresses()
    {
    }

    /**
     * Every IPv4 address in the calling thread's namespace.
     *
     * @throws EndpointException when the dump fails.
     */
    static List<InterfaceAddress> dump()
    {
        final int fd = Syscalls.result(LibC.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC,
            NETLINK_ROUTE));
        if (fd < 0)
        {
            throw new EndpointException("cannot open an rtnetlink socket: " + Errno.name(-fd));
        }
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(RECEIVE_BYTES,
                CACHE_LINE_BYTES));
            buffer.putLong(0, RECEIVE_TIMEOUT_SECONDS);
            buffer.putLong(Long.BYTES, 0L);
            LibC.setsockopt(fd, Syscalls.SOL_SOCKET, Syscalls.SO_RCVTIMEO, buffer.addressOffset(), TIMEVAL_LENGTH);

            buffer.setMemory(0, IFADDRMSG_END, (byte)0);
            buffer.putInt(NLMSG_LEN_OFFSET, IFADDRMSG_END);
            buffer.putShort(NLMSG_TYPE_OFFSET, (short)RTM_GETADDR);
            buffer.putShort(NLMSG_FLAGS_OFFSET, (short)(NLM_F_REQUEST | NLM_F_DUMP));
            buffer.putInt(NLMSG_SEQ_OFFSET, SEQUENCE);
            buffer.putByte(IFA_FAMILY_OFFSET, (byte)Syscalls.AF_INET);
            final long sent = Syscalls.result(LibC.send(fd, buffer.addressOffset(), IFADDRMSG_END, 0));
            if (sent < 0)
            {
                throw new EndpointException("rtnetlink RTM_GETADDR request failed: " + Errno.name((int)-sent));
            }
            return names(receive(fd, buffer));
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /** (ifindex, address, prefix) triples until NLMSG_DONE. */
    private static List<int[]> receive(final int fd, final UnsafeBuffer buffer)
    {
        final List<int[]> found = new ArrayList<>();
        for (int datagram = 0; datagram < MAX_DATAGRAMS; datagram++)
        {
            final long received = Syscalls.result(LibC.recv(fd, buffer.addressOffset(), RECEIVE_BYTES, 0));
            if (received < 0)
            {
                if (-received == Errno.EINTR)
                {
                    continue;
                }
                throw new EndpointException("rtnetlink address dump failed: " + Errno.name((int)-received));
            }
            int message = 0;
            while (message + NLMSG_HEADER_LENGTH <= received)
            {
                final int length = buffer.getInt(message + NLMSG_LEN_OFFSET);
                final int type = buffer.getShort(message + NLMSG_TYPE_OFFSET) & 0xFFFF;
                if (length < NLMSG_HEADER_LENGTH || message + length > received)
                {
                    throw new EndpointException("rtnetlink address dump: malformed message of " + length +
                        " bytes");
                }
                if (type == NLMSG_DONE)
                {
                    return found;
                }
                if (type == NLMSG_ERROR)
                {
                    final int error = buffer.getInt(message + NLMSG_HEADER_LENGTH);
                    throw new EndpointException("rtnetlink address dump refused: " + Errno.name(-error));
                }
                if (type == RTM_NEWADDR && buffer.getInt(message + NLMSG_SEQ_OFFSET) == SEQUENCE &&
                    length >= IFADDRMSG_END &&
                    (buffer.getByte(message + IFA_FAMILY_OFFSET) & 0xFF) == Syscalls.AF_INET)
                {
                    final long address = address(buffer, message, length);
                    if (address != NO_ADDRESS)
                    {
                        found.add(new int[] {buffer.getInt(message + IFA_INDEX_OFFSET), (int)address,
                            buffer.getByte(message + IFA_PREFIXLEN_OFFSET) & 0xFF});
                    }
                }
                message += align(length);
            }
        }
        throw new EndpointException("rtnetlink address dump did not end after " + MAX_DATAGRAMS + " datagrams");
    }

    /**
     * IFA_LOCAL (the address itself); IFA_ADDRESS when absent (it differs only on point-to-point links, where it is
     * the peer); {@link #NO_ADDRESS} when the message has neither.
     */
    private static long address(final UnsafeBuffer buffer, final int message, final int length)
    {
        long fallback = NO_ADDRESS;
        int attribute = message + IFADDRMSG_END;
        while (attribute + RTA_HEADER_LENGTH <= message + length)
        {
            final int attributeLength = buffer.getShort(attribute + RTA_LEN_OFFSET) & 0xFFFF;
            if (attributeLength < RTA_HEADER_LENGTH || attribute + attributeLength > message + length)
            {
                break;
            }
            final int type = buffer.getShort(attribute + RTA_TYPE_OFFSET) & 0xFFFF;
            if (attributeLength == RTA_HEADER_LENGTH + IPV4_BYTES)
            {
                final long value = buffer.getInt(attribute + RTA_HEADER_LENGTH, ByteOrder.BIG_ENDIAN) & UINT_MASK;
                if (type == IFA_LOCAL)
                {
                    return value;
                }
                if (type == IFA_ADDRESS)
                {
                    fallback = value;
                }
            }
            attribute += align(attributeLength);
        }
        return fallback;
    }

    private static int align(final int length)
    {
        return (length + ALIGN - 1) & ~(ALIGN - 1);
    }

    private static List<InterfaceAddress> names(final List<int[]> found)
    {
        final Map<Integer, String> names = new HashMap<>();
        final List<InterfaceAddress> addresses = new ArrayList<>(found.size());
        for (final int[] entry : found)
        {
            final String name = names.computeIfAbsent(entry[0], NetlinkAddresses::interfaceName);
            addresses.add(new InterfaceAddress(name, entry[1], entry[2]));
        }
        return addresses;
    }

    /** SIOCGIFNAME; {@code if<index>} when the device went away in between. */
    private static String interfaceName(final int ifindex)
    {
        final int socket = Syscalls.result(LibC.socket(Syscalls.AF_INET, Syscalls.SOCK_DGRAM | Syscalls.SOCK_CLOEXEC,
            0));
        if (socket < 0)
        {
            return "if" + ifindex;
        }
        try
        {
            final UnsafeBuffer ifreq = new UnsafeBuffer(BufferUtil.allocateDirectAligned(IfReq.LENGTH,
                CACHE_LINE_BYTES));
            ifreq.setMemory(0, IfReq.LENGTH, (byte)0);
            ifreq.putInt(IfReq.IFINDEX_OFFSET, ifindex);
            if (LibC.ioctl(socket, IfReq.SIOCGIFNAME, ifreq.addressOffset()) < 0)
            {
                return "if" + ifindex;
            }
            return TunDevice.getName(ifreq);
        }
        finally
        {
            LibC.close(socket);
        }
    }
}
