package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.TransportException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A network interface as the kernel's interface ioctls describe it: index, MAC, primary IPv4 address, MTU.
 * <p>
 * The ioctls go to a socket, so they answer for the network namespace of the thread that created that socket, never
 * for the one /sys or /proc happen to show (a lab thread that entered another namespace sees the wrong one there).
 */
public final class NetDevice
{
    private static final int MAC_BYTES = 6;
    private static final int BITS_PER_BYTE = 8;
    private static final int BYTE_MASK = 0xFF;

    private final String name;
    private final int index;
    private final long macAddress;
    private final int ipv4Address;
    private final int mtu;
    private final int hardwareType;

    private NetDevice(
        final String name, final int index, final long macAddress, final int ipv4Address, final int mtu,
        final int hardwareType)
    {
        this.name = name;
        this.index = index;
        this.macAddress = macAddress;
        this.ipv4Address = ipv4Address;
        this.mtu = mtu;
        this.hardwareType = hardwareType;
    }

    /**
     * Describes interface {@code name} in the calling thread's network namespace (through a short-lived UDP socket,
     * which needs no privilege).
     *
     * @throws TransportException when there is no such interface or an ioctl fails.
     */
    public static NetDevice query(final String name)
    {
        final int fd = PacketSocket.createInetSocket();
        if (fd < 0)
        {
            throw new TransportException("socket(AF_INET, SOCK_DGRAM) for interface ioctls failed: " +
                Errno.name(-fd), -fd);
        }
        final PacketSocket socket = new PacketSocket(fd);
        try
        {
            return query(socket, name);
        }
        finally
        {
            socket.close();
        }
    }

    /** Describes interface {@code name} through {@code socket}'s ioctls (on the thread that set the socket up). */
    static NetDevice query(final PacketSocket socket, final String name)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IfReq.NAME_LENGTH)
        {
            throw new IllegalArgumentException("interface name must be 1.." + (IfReq.NAME_LENGTH - 1) +
                " characters, name='" + name + "'");
        }
        final UnsafeBuffer ifreq = socket.scratch();
        final long address = ifreq.addressOffset();

        prepare(ifreq, nameBytes);
        final int indexResult = socket.ioctl(IfReq.SIOCGIFINDEX, address);
        if (indexResult < 0)
        {
            throw new TransportException("no interface '" + name + "' in this thread's network namespace " +
                "(SIOCGIFINDEX: " + Errno.name(-indexResult) + ")", -indexResult);
        }
        final int index = ifreq.getInt(IfReq.IFINDEX_OFFSET);

        prepare(ifreq, nameBytes);
        check(name, "SIOCGIFHWADDR", socket.ioctl(IfReq.SIOCGIFHWADDR, address));
        final int hardwareType = ifreq.getShort(IfReq.HWADDR_FAMILY_OFFSET) & 0xFFFF;
        long mac = 0;
        for (int i = 0; i < MAC_BYTES; i++)
        {
            mac = (mac << BITS_PER_BYTE) | (ifreq.getByte(IfReq.HWADDR_DATA_OFFSET + i) & BYTE_MASK);
        }

        prepare(ifreq, nameBytes);
        check(name, "SIOCGIFMTU", socket.ioctl(IfReq.SIOCGIFMTU, address));
        final int mtu = ifreq.getInt(IfReq.MTU_OFFSET);

        prepare(ifreq, nameBytes);
        final int addressResult = socket.ioctl(IfReq.SIOCGIFADDR, address);
        final int ipv4;
        if (addressResult == -Errno.EADDRNOTAVAIL)
        {
            ipv4 = 0;
        }
        else
        {
            check(name, "SIOCGIFADDR", addressResult);
            ipv4 = ifreq.getInt(IfReq.ADDR_IPV4_OFFSET, ByteOrder.BIG_ENDIAN);
        }
        return new NetDevice(name, index, mac, ipv4, mtu, hardwareType);
    }

    private static void prepare(final UnsafeBuffer ifreq, final byte[] nameBytes)
    {
        ifreq.setMemory(0, IfReq.LENGTH, (byte)0);
        ifreq.putBytes(IfReq.NAME_OFFSET, nameBytes);
    }

    private static void check(final String name, final String call, final int result)
    {
        if (result < 0)
        {
            throw new TransportException(call + " on interface '" + name + "' failed: " + Errno.name(-result), -result);
        }
    }

    public String name()
    {
        return name;
    }

    public int index()
    {
        return index;
    }

    /** 48 bits, first byte in bits 40..47. */
    public long macAddress()
    {
        return macAddress;
    }

    /** Host byte order, 0 when the interface has no IPv4 address. */
    public int ipv4Address()
    {
        return ipv4Address;
    }

    public int mtu()
    {
        return mtu;
    }

    /** {@code ARPHRD_*} of the interface (1 = Ethernet). */
    public int hardwareType()
    {
        return hardwareType;
    }

    /** True for Ethernet and Ethernet-like interfaces (veth, bridge, virtio, bonds, VLANs). */
    public boolean isEthernet()
    {
        return hardwareType == IfReq.ARPHRD_ETHER;
    }

    @Override
    public String toString()
    {
        return "NetDevice{" + name + ", index=" + index + ", mac=" + String.format("%012x", macAddress) +
            ", ipv4=" + (ipv4Address >>> 24) + '.' + ((ipv4Address >>> 16) & BYTE_MASK) + '.' +
            ((ipv4Address >>> 8) & BYTE_MASK) + '.' + (ipv4Address & BYTE_MASK) + ", mtu=" + mtu +
            ", hardwareType=" + hardwareType + '}';
    }
}
