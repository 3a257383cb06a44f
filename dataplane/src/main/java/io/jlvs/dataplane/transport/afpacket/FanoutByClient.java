package io.jlvs.dataplane.transport.afpacket;

import io.jlvs.dataplane.transport.BpfProgram;

/**
 * The classic BPF program of a {@code PACKET_FANOUT_CBPF} group that spreads frames over the workers by client:
 * for IPv4, a multiplicative hash of the source address (the kernel takes the result modulo the group's size); for
 * anything else (ARP), 0, the first worker (a {@link BpfProgram}, as a socket's receive filter is).
 * The program runs before the packet socket pushes the Ethernet header back ({@code fanout_demux_bpf} sees the
 * frame from its network header on), so the EtherType comes from the ancillary {@code skb->protocol} load and the
 * source address is at offset 12.
 * <pre>
 *   ldh #proto               ; EtherType (SKF_AD_OFF + SKF_AD_PROTOCOL)
 *   jeq #0x800, 0, 4         ; IPv4? else to "ret #0"
 *   ld  [12]                 ; IPv4 source address
 *   mul #0x9E3779B1          ; golden-ratio hash: mixes every bit of the address upwards
 *   rsh #16                  ; keep the well-mixed high half
 *   ret a
 *   ret #0
 * </pre>
 */
public final class FanoutByClient
{
    private static final int ETHERTYPE_IPV4 = 0x0800;
    /** From the network header: where the program's packet data starts. */
    private static final int IPV4_SOURCE_OFFSET = 12;
    private static final int GOLDEN_RATIO_32 = 0x9E3779B1;
    private static final int HIGH_HALF_SHIFT = 16;
    private static final int JUMP_TO_RET_ZERO = 4;

    static final BpfProgram PROGRAM = BpfProgram.of(
        BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, BpfProgram.ANCILLARY_PROTOCOL),
        BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, JUMP_TO_RET_ZERO, ETHERTYPE_IPV4),
        BpfProgram.instruction(BpfProgram.LD_W_ABS, 0, 0, IPV4_SOURCE_OFFSET),
        BpfProgram.instruction(BpfProgram.ALU_MUL_K, 0, 0, GOLDEN_RATIO_32),
        BpfProgram.instruction(BpfProgram.ALU_RSH_K, 0, 0, HIGH_HALF_SHIFT),
        BpfProgram.instruction(BpfProgram.RET_A, 0, 0, 0),
        BpfProgram.instruction(BpfProgram.RET_K, 0, 0, 0));

    private FanoutByClient()
    {
    }

    /**
     * What the program computes for an IPv4 source address; the kernel takes it modulo the group size, so a worker
     * can tell which worker owns a client.
     */
    public static long hash(final int sourceAddress)
    {
        return ((sourceAddress * GOLDEN_RATIO_32) & 0xFFFF_FFFFL) >>> HIGH_HALF_SHIFT;
    }
}
