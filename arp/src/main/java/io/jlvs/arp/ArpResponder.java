package io.jlvs.arp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.jlvs.arp.ArpHeader.DST_MAC_OFFSET;
import static io.jlvs.arp.ArpHeader.ETHERNET_HEADER_LENGTH;
import static io.jlvs.arp.ArpHeader.ETHERTYPE_ARP;
import static io.jlvs.arp.ArpHeader.ETHERTYPE_OFFSET;
import static io.jlvs.arp.ArpHeader.FRAME_LENGTH;
import static io.jlvs.arp.ArpHeader.HLEN_ETHERNET;
import static io.jlvs.arp.ArpHeader.HLEN_OFFSET;
import static io.jlvs.arp.ArpHeader.HTYPE_ETHERNET;
import static io.jlvs.arp.ArpHeader.HTYPE_IEEE802;
import static io.jlvs.arp.ArpHeader.HTYPE_OFFSET;
import static io.jlvs.arp.ArpHeader.MIN_ETHERNET_FRAME;
import static io.jlvs.arp.ArpHeader.OPER_OFFSET;
import static io.jlvs.arp.ArpHeader.OPER_REPLY;
import static io.jlvs.arp.ArpHeader.OPER_REQUEST;
import static io.jlvs.arp.ArpHeader.PLEN_IPV4;
import static io.jlvs.arp.ArpHeader.PLEN_OFFSET;
import static io.jlvs.arp.ArpHeader.PTYPE_IPV4;
import static io.jlvs.arp.ArpHeader.PTYPE_OFFSET;
import static io.jlvs.arp.ArpHeader.SHA_OFFSET;
import static io.jlvs.arp.ArpHeader.SPA_OFFSET;
import static io.jlvs.arp.ArpHeader.SRC_MAC_OFFSET;
import static io.jlvs.arp.ArpHeader.THA_OFFSET;
import static io.jlvs.arp.ArpHeader.TPA_OFFSET;

/**
 * Answers ARP for the virtual addresses (VIPs) on the director interface it is attached to, and writes the ARP
 * frames the director sends itself (gratuitous ARP at start, requests that resolve the real servers).
 * <p>
 * What is answered follows Linux's {@code arp_rcv}/{@code arp_process} with {@code arp_ignore=0}: a request (or an
 * RFC 5227 probe, sender address 0.0.0.0) whose target is a VIP, sent to broadcast, a multicast group or the
 * director's MAC; the reply goes unicast to the requester's sender MAC. One instance serves one interface: the
 * caller feeds it only that interface's frames, so requests arriving anywhere else are never answered.
 * <p>
 * Threading: {@link #onArpFrame} runs on the forwarding thread, the single writer of the counters, and allocates,
 * locks, logs and throws nothing. {@link #virtualAddresses(int[])} is the control plane's: it publishes a new
 * immutable sorted set through one volatile field. Counters may be read from any thread.
 */
public final class ArpResponder
{
    private static final VarHandle REQUESTS_ANSWERED;
    private static final VarHandle MALFORMED;
    private static final VarHandle CONFLICTS;
    private static final VarHandle IGNORED;
    private static final VarHandle NO_ROOM_FOR_REPLY;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            REQUESTS_ANSWERED = lookup.findVarHandle(ArpResponder.class, "requestsAnswered", long.class);
            MALFORMED = lookup.findVarHandle(ArpResponder.class, "malformed", long.class);
            CONFLICTS = lookup.findVarHandle(ArpResponder.class, "conflicts", long.class);
            IGNORED = lookup.findVarHandle(ArpResponder.class, "ignored", long.class);
            NO_ROOM_FOR_REPLY = lookup.findVarHandle(ArpResponder.class, "noRoomForReply", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The unspecified address: the sender address of an RFC 5227 probe, and the target of the reply to one. */
    private static final int UNSPECIFIED_ADDRESS = 0;
    private static final int LIMITED_BROADCAST = 0xFFFF_FFFF;
    /** The IPv4 class D (multicast) range 224.0.0.0/4: its top four bits. */
    private static final int MULTICAST_PREFIX = 0xE;
    private static final int MULTICAST_PREFIX_SHIFT = 28;
    private static final int U8_MASK = 0xFF;
    private static final int U16_MASK = 0xFFFF;
    private static final byte PADDING = 0;

    private final long directorMac;
    private final NeighbourTable neighbours;
    /** Sorted, unique, never written after publication. */
    private volatile int[] virtualAddresses = new int[0];

    private long requestsAnswered;
    private long malformed;
    private long conflicts;
    private long ignored;
    private long noRoomForReply;

    /**
     * @param directorMac the MAC of the director interface: the sender of every reply.
     * @param neighbours  offered the sender of every well-formed ARP frame, so real servers are learnt for free.
     */
    public ArpResponder(final long directorMac, final NeighbourTable neighbours)
    {
        if (!MacAddress.isUnicast(directorMac))
        {
            throw new IllegalArgumentException(
                "directorMac must be a unicast MAC, directorMac=" + MacAddress.toString(directorMac));
        }
        if (neighbours == null)
        {
            throw new NullPointerException("neighbours");
        }
        this.directorMac = directorMac;
        this.neighbours = neighbours;
    }

    public long directorMac()
    {
        return directorMac;
    }

    /**
     * Control plane: the VIPs to answer for, replacing the previous set (published as one new immutable set).
     *
     * @param vips IPv4 addresses in host byte order; duplicates are ignored.
     * @throws IllegalArgumentException for 0.0.0.0, 255.255.255.255 or a multicast address.
     */
    public void virtualAddresses(final int[] vips)
    {
        if (vips == null)
        {
            throw new NullPointerException("vips");
        }
        final int[] sorted = vips.clone();
        Arrays.sort(sorted);
        int unique = 0;
        for (final int vip : sorted)
        {
            if (vip == UNSPECIFIED_ADDRESS || vip == LIMITED_BROADCAST ||
                vip >>> MULTICAST_PREFIX_SHIFT == MULTICAST_PREFIX)
            {
                throw new IllegalArgumentException("not a unicast address, vip=" + Ipv4Text.toString(vip));
            }
            if (unique == 0 || sorted[unique - 1] != vip)
            {
                sorted[unique++] = vip;
            }
        }
        virtualAddresses = Arrays.copyOf(sorted, unique);
    }

    /** Any thread: whether {@code address} (host byte order) is one of the VIPs. */
    public boolean isVirtualAddress(final int address)
    {
        return Arrays.binarySearch(virtualAddresses, address) >= 0;
    }

    /**
     * Forwarding thread: handles one ARP frame.
     * <ul>
     * <li>Truncated or malformed (not ARP, not IPv4 over Ethernet, an unknown operation, a group or zero sender MAC):
     *     returns 0, counted in {@link #malformed()}.</li>
     * <li>Our own frame seen again: returns 0, counted in {@link #ignored()}.</li>
     * <li>Sent by another host with a VIP as its sender address (a gratuitous ARP for our VIP, or a real server that
     *     answers ARP for the VIP because it lacks {@code arp_ignore}): returns 0, counted in {@link #conflicts()},
     *     neither answered nor learnt, whoever it was addressed to.</li>
     * <li>Unicast to another host: returns 0, counted in {@link #ignored()}, not learnt.</li>
     * <li>Otherwise the sender (address, MAC) is offered to {@link NeighbourTable#learn} (unless the sender address
     *     is 0.0.0.0); then a request or probe for a VIP is answered: the reply (Ethernet dst = requester, src =
     *     director; sender = director MAC/VIP; target = requester's MAC/address, 0.0.0.0 for a probe) is written at
     *     {@code out[outOffset]}, zero-padded to {@link ArpHeader#MIN_ETHERNET_FRAME}, and its length returned.
     *     Anything else returns 0, counted in {@link #ignored()}; a reply that does not fit in {@code out} returns 0,
     *     counted in {@link #noRoomForReply()}.</li>
     * </ul>
     * Every field is read before anything is written, so {@code out} may be {@code frame} itself (reply in place).
     *
     * @param frame  a whole Ethernet frame with EtherType ARP, at {@code offset}, {@code length} octets (padding
     *               after the ARP message is allowed).
     * @param nowNs  the caller's clock, handed to the neighbour table.
     * @return the reply's length, or 0 when nothing is to be sent.
     */
    public int onArpFrame(
        final DirectBuffer frame,
        final int offset,
        final int length,
        final MutableDirectBuffer out,
        final int outOffset,
        final long nowNs)
    {
        if (offset < 0 || length < FRAME_LENGTH || offset > frame.capacity() - length)
        {
            return countMalformed();
        }
        if ((frame.getShort(offset + ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & U16_MASK) != ETHERTYPE_ARP)
        {
            return countMalformed();
        }

        final int arp = offset + ETHERNET_HEADER_LENGTH;
        final int htype = frame.getShort(arp + HTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & U16_MASK;
        final int ptype = frame.getShort(arp + PTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & U16_MASK;
        final int hlen = frame.getByte(arp + HLEN_OFFSET) & U8_MASK;
        final int plen = frame.getByte(arp + PLEN_OFFSET) & U8_MASK;
        final int oper = frame.getShort(arp + OPER_OFFSET, ByteOrder.BIG_ENDIAN) & U16_MASK;
        if ((htype != HTYPE_ETHERNET && htype != HTYPE_IEEE802) || ptype != PTYPE_IPV4 || hlen != HLEN_ETHERNET ||
            plen != PLEN_IPV4 || (oper != OPER_REQUEST && oper != OPER_REPLY))
        {
            return countMalformed();
        }

        final long senderMac = MacAddress.read(frame, arp + SHA_OFFSET);
        if (!MacAddress.isUnicast(senderMac))
        {
            // Linux does not check this; but no host owns a group address, and we must never reply to one.
            return countMalformed();
        }

        if (senderMac == directorMac)
        {
            // Our own frame seen again (a transport that does not filter outgoing frames).
            return countIgnored();
        }

        final int senderAddress = frame.getInt(arp + SPA_OFFSET, ByteOrder.BIG_ENDIAN);
        final int targetAddress = frame.getInt(arp + TPA_OFFSET, ByteOrder.BIG_ENDIAN);
        final int[] vips = virtualAddresses;
        if (senderAddress != UNSPECIFIED_ADDRESS && Arrays.binarySearch(vips, senderAddress) >= 0)
        {
            // Checked before the destination: a claim on our VIP matters even when it was addressed to someone else.
            CONFLICTS.setRelease(this, conflicts + 1);
            return 0;
        }

        final long ethernetDst = MacAddress.read(frame, offset + DST_MAC_OFFSET);
        if (ethernetDst != directorMac && !MacAddress.isGroup(ethernetDst))
        {
            // Another host's unicast, seen because a switch flooded it: Linux drops PACKET_OTHERHOST before ARP.
            return countIgnored();
        }
        if (senderAddress != UNSPECIFIED_ADDRESS)
        {
            neighbours.learn(senderAddress, senderMac, nowNs);
        }

        if (oper != OPER_REQUEST || Arrays.binarySearch(vips, targetAddress) < 0)
        {
            return countIgnored();
        }
        if (outOffset < 0 || outOffset > out.capacity() - MIN_ETHERNET_FRAME)
        {
            NO_ROOM_FOR_REPLY.setRelease(this, noRoomForReply + 1);
            return 0;
        }

        REQUESTS_ANSWERED.setRelease(this, requestsAnswered + 1);
        return writeFrame(
            out, outOffset, senderMac, directorMac, OPER_REPLY, directorMac, targetAddress, senderMac, senderAddress);
    }

    /**
     * Writes a gratuitous ARP announcing that {@code vip} is at {@code mac}: an Ethernet broadcast ARP request
     * with sender and target address both the VIP and target MAC ff:ff:ff:ff:ff:ff, the same bytes as keepalived's
     * {@code send_gratuitous_arp_immediate} and iputils {@code arping -U} (the kernel's own announcements differ
     * only in a zero target MAC, which receivers ignore). Request rather than reply form: it is RFC 5227's "ARP
     * Announcement", and Linux's {@code arp_is_garp} takes any request with sender address = target address as
     * gratuitous, while a reply would also need target MAC = sender MAC.
     *
     * @return {@link ArpHeader#MIN_ETHERNET_FRAME}, or 0 when {@code out} has no room at {@code offset}.
     */
    public static int writeGratuitousArp(final MutableDirectBuffer out, final int offset, final long mac, final int vip)
    {
        if (offset < 0 || offset > out.capacity() - MIN_ETHERNET_FRAME)
        {
            return 0;
        }
        return writeFrame(out, offset, MacAddress.BROADCAST, mac, OPER_REQUEST, mac, vip, MacAddress.BROADCAST, vip);
    }

    /**
     * Writes an ARP request for {@code targetIp} as Linux's {@code arp_solicit} does: Ethernet to {@code dstMac}
     * ({@link NeighbourTable#BROADCAST_MAC} to resolve, the known MAC to re-confirm a STALE entry), target MAC
     * 00:00:00:00:00:00.
     *
     * @param srcIp the director's own address on the interface, so that the server's reply comes back to us.
     * @return {@link ArpHeader#MIN_ETHERNET_FRAME}, or 0 when {@code out} has no room at {@code offset}.
     */
    public static int writeRequest(
        final MutableDirectBuffer out,
        final int offset,
        final long srcMac,
        final int srcIp,
        final int targetIp,
        final long dstMac)
    {
        if (offset < 0 || offset > out.capacity() - MIN_ETHERNET_FRAME)
        {
            return 0;
        }
        return writeFrame(out, offset, dstMac, srcMac, OPER_REQUEST, srcMac, srcIp, MacAddress.ZERO, targetIp);
    }

    /** Requests and RFC 5227 probes for a VIP that were answered. */
    public long requestsAnswered()
    {
        return (long)REQUESTS_ANSWERED.getOpaque(this);
    }

    /** Frames dropped as truncated or not well-formed ARP for IPv4 over Ethernet. */
    public long malformed()
    {
        return (long)MALFORMED.getOpaque(this);
    }

    /** Frames from another host that used one of our VIPs as its sender address. */
    public long conflicts()
    {
        return (long)CONFLICTS.getOpaque(this);
    }

    /** Well-formed frames that needed no answer: replies, requests for other addresses, other hosts' unicasts. */
    public long ignored()
    {
        return (long)IGNORED.getOpaque(this);
    }

    /** Requests for a VIP left unanswered because the caller's reply buffer was too small. */
    public long noRoomForReply()
    {
        return (long)NO_ROOM_FOR_REPLY.getOpaque(this);
    }

    private int countMalformed()
    {
        MALFORMED.setRelease(this, malformed + 1);
        return 0;
    }

    private int countIgnored()
    {
        IGNORED.setRelease(this, ignored + 1);
        return 0;
    }

    /** Ethernet header and ARP message, zero-padded to the Ethernet minimum; the caller has checked the room. */
    private static int writeFrame(
        final MutableDirectBuffer out,
        final int offset,
        final long ethernetDst,
        final long ethernetSrc,
        final int oper,
        final long senderMac,
        final int senderAddress,
        final long targetMac,
        final int targetAddress)
    {
        MacAddress.write(out, offset + DST_MAC_OFFSET, ethernetDst);
        MacAddress.write(out, offset + SRC_MAC_OFFSET, ethernetSrc);
        out.putShort(offset + ETHERTYPE_OFFSET, (short)ETHERTYPE_ARP, ByteOrder.BIG_ENDIAN);

        final int arp = offset + ETHERNET_HEADER_LENGTH;
        out.putShort(arp + HTYPE_OFFSET, (short)HTYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        out.putShort(arp + PTYPE_OFFSET, (short)PTYPE_IPV4, ByteOrder.BIG_ENDIAN);
        out.putByte(arp + HLEN_OFFSET, (byte)HLEN_ETHERNET);
        out.putByte(arp + PLEN_OFFSET, (byte)PLEN_IPV4);
        out.putShort(arp + OPER_OFFSET, (short)oper, ByteOrder.BIG_ENDIAN);
        MacAddress.write(out, arp + SHA_OFFSET, senderMac);
        out.putInt(arp + SPA_OFFSET, senderAddress, ByteOrder.BIG_ENDIAN);
        MacAddress.write(out, arp + THA_OFFSET, targetMac);
        out.putInt(arp + TPA_OFFSET, targetAddress, ByteOrder.BIG_ENDIAN);

        out.setMemory(offset + FRAME_LENGTH, MIN_ETHERNET_FRAME - FRAME_LENGTH, PADDING);
        return MIN_ETHERNET_FRAME;
    }
}
