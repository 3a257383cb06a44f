package io.jlvs.healthcheck;

import io.jlvs.arp.ArpHeader;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.transport.BpfProgram;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The receive filter of a {@code PATH_CHECK} probe socket: the kernel lets through only the frames
 * {@link PathProbeReply} can take as an answer (from any station, so that a DR answer from a stranger's MAC is still
 * seen and named), instead of copying the director's whole traffic into the probe's ring. It runs on the frame from
 * its Ethernet header on (a SOCK_RAW packet socket) and never sees an 802.1Q tag (the kernel strips it first), just as
 * the reader does not.
 * <pre>
 *         ldh [12]                  ; EtherType
 *         jeq #0x0806, 0, ipv4
 *         ldh [20]                  ; ARP operation
 *         jeq #2, 0, drop           ; a reply
 *         ld  [38]                  ; ARP target protocol address
 *         jeq #director, accept, drop
 * ipv4:   jeq #0x0800, 0, drop
 *         ld  [30]                  ; IPv4 destination
 *         jeq #director, 0, drop
 *         ldb [23]                  ; IPv4 protocol
 *         jeq #6, 0, drop           ; TCP
 *         ldh [20]                  ; IPv4 flags and fragment offset
 *         jset #0x1fff, drop, 0     ; a later fragment holds no TCP header
 *         ldx 4*([14]&amp;0xf)         ; IPv4 header length
 *         ldh [x + 16]              ; TCP destination port
 *         jge #49152, 0, drop       ; the probe's ports are all dynamic ones
 *         ldh [x + 14]              ; TCP source port
 *         jeq #port1, src, 0        ; ... one per distinct target port
 *         jeq #portN, src, drop
 * src:    ld  [26]                  ; IPv4 source
 *         jeq #vip1, accept, 0      ; ... one per distinct VIP
 *         jeq #vipN, accept, drop
 * accept: ret #-1                   ; the whole frame
 * drop:   ret #0
 * </pre>
 * Any (VIP, port) of the targets' VIPs and ports passes, a few more pairs than the targets when a service has several
 * of each: {@link PathProbeReply} still matches each answer to its probe exactly.
 */
final class PathProbeFilter
{
    /** Where the IPv4 test starts: after the EtherType load and the five instructions of the ARP branch. */
    private static final int IPV4_BRANCH = 6;
    /** The instructions before the per-port jumps, up to the TCP source port load. */
    private static final int FIXED_INSTRUCTIONS = 17;
    private static final int ARP_OPERATION = EthernetHeader.LENGTH + ArpHeader.OPER_OFFSET;
    private static final int ARP_TARGET_ADDRESS = EthernetHeader.LENGTH + ArpHeader.TPA_OFFSET;
    private static final int IPV4_VERSION_IHL = EthernetHeader.LENGTH + Ipv4Header.VERSION_IHL_OFFSET;
    private static final int IPV4_FRAGMENT = EthernetHeader.LENGTH + Ipv4Header.FLAGS_FRAGMENT_OFFSET;
    private static final int IPV4_PROTOCOL = EthernetHeader.LENGTH + Ipv4Header.PROTOCOL_OFFSET;
    private static final int IPV4_SOURCE = EthernetHeader.LENGTH + Ipv4Header.SRC_ADDR_OFFSET;
    private static final int IPV4_DESTINATION = EthernetHeader.LENGTH + Ipv4Header.DST_ADDR_OFFSET;
    /** TCP ports by X, which {@code ldx msh} sets to the IPv4 header's length: from the end of the Ethernet header. */
    private static final int TCP_SOURCE_PORT = EthernetHeader.LENGTH + TcpHeader.SRC_PORT_OFFSET;
    private static final int TCP_DESTINATION_PORT = EthernetHeader.LENGTH + TcpHeader.DST_PORT_OFFSET;
    /** {@code ret #-1}: keep the whole frame (the kernel takes the smaller of this and the frame's length). */
    private static final int WHOLE_FRAME = -1;
    private static final int DROP = 0;

    private PathProbeFilter()
    {
    }

    /** The filter of an attempt probing {@code targets} from {@code director} (the probe socket's interface address). */
    static BpfProgram program(final int director, final List<VirtualAddress> targets)
    {
        final Set<Integer> vipSet = new LinkedHashSet<>();
        final Set<Integer> portSet = new LinkedHashSet<>();
        for (final VirtualAddress target : targets)
        {
            vipSet.add(target.address());
            portSet.add(target.port());
        }
        final List<Integer> vips = new ArrayList<>(vipSet);
        final List<Integer> ports = new ArrayList<>(portSet);
        final int ipv4 = IPV4_BRANCH;
        final int source = FIXED_INSTRUCTIONS + ports.size();
        final int accept = source + 1 + vips.size();
        final int drop = accept + 1;

        final long[] code = new long[drop + 1];
        code[0] = BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, EthernetHeader.ETHERTYPE_OFFSET);
        code[1] = jeq(1, EthernetHeader.ETHERTYPE_ARP, 2, ipv4);
        code[2] = BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, ARP_OPERATION);
        code[3] = jeq(3, ArpHeader.OPER_REPLY, 4, drop);
        code[4] = BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, ARP_TARGET_ADDRESS);
        code[5] = jeq(5, director, accept, drop);
        code[ipv4] = jeq(ipv4, EthernetHeader.ETHERTYPE_IPV4, ipv4 + 1, drop);
        code[7] = BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, IPV4_DESTINATION);
        code[8] = jeq(8, director, 9, drop);
        code[9] = BpfProgram.instruction(BpfProgram.LD_B_ABS, 0, 0, IPV4_PROTOCOL);
        code[10] = jeq(10, Ipv4Header.PROTOCOL_TCP, 11, drop);
        code[11] = BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, IPV4_FRAGMENT);
        code[12] = BpfProgram.instruction(BpfProgram.JMP_JSET_K, drop - 13, 0, Ipv4Header.FRAGMENT_OFFSET_MASK);
        code[13] = BpfProgram.instruction(BpfProgram.LDX_B_MSH, 0, 0, IPV4_VERSION_IHL);
        code[14] = BpfProgram.instruction(BpfProgram.LD_H_IND, 0, 0, TCP_DESTINATION_PORT);
        code[15] = BpfProgram.instruction(BpfProgram.JMP_JGE_K, 0, drop - 16, PathChecker.FIRST_SOURCE_PORT);
        code[16] = BpfProgram.instruction(BpfProgram.LD_H_IND, 0, 0, TCP_SOURCE_PORT);
        for (int i = 0; i < ports.size(); i++)
        {
            final int at = FIXED_INSTRUCTIONS + i;
            code[at] = jeq(at, ports.get(i), source, i == ports.size() - 1 ? drop : at + 1);
        }
        code[source] = BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, IPV4_SOURCE);
        for (int i = 0; i < vips.size(); i++)
        {
            final int at = source + 1 + i;
            code[at] = jeq(at, vips.get(i), accept, i == vips.size() - 1 ? drop : at + 1);
        }
        code[accept] = BpfProgram.instruction(BpfProgram.RET_K, 0, 0, WHOLE_FRAME);
        code[drop] = BpfProgram.instruction(BpfProgram.RET_K, 0, 0, DROP);
        return BpfProgram.of(code);
    }

    /** {@code jeq #k} at {@code at}, going on at instruction {@code ifEqual} or {@code otherwise}. */
    private static long jeq(final int at, final int k, final int ifEqual, final int otherwise)
    {
        return BpfProgram.instruction(BpfProgram.JMP_JEQ_K, ifEqual - at - 1, otherwise - at - 1, k);
    }
}
