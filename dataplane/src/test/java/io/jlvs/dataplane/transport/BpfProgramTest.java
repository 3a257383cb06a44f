package io.jlvs.dataplane.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpfProgramTest
{
    private static final long RET_ZERO = BpfProgram.instruction(BpfProgram.RET_K, 0, 0, 0);

    @Test
    void instructionIsLaidOutAsStructSockFilterAndReadsBack()
    {
        // jeq #0x800, jt 1, jf 4: code 0x15, jt 0x01, jf 0x04, k 0x00000800, little-endian.
        final long jeq = BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 1, 4, 0x800);
        assertEquals(0x0000_0800_0401_0015L, jeq);
        assertEquals(BpfProgram.JMP_JEQ_K, BpfProgram.code(jeq));
        assertEquals(1, BpfProgram.jumpTrue(jeq));
        assertEquals(4, BpfProgram.jumpFalse(jeq));
        assertEquals(0x800, BpfProgram.k(jeq));
        // A negative k (the ancillary loads) keeps all 32 bits and nothing more.
        assertEquals(0xFFFF_F000_0000_0028L, BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, -0x1000));
        assertEquals(-1, BpfProgram.k(BpfProgram.instruction(BpfProgram.RET_K, 0, 0, -1)));
    }

    @Test
    void jumpsThatDoNotFitTheirEightBitsAreRefusedRatherThanWrapped()
    {
        assertThrows(IllegalArgumentException.class,
            () -> BpfProgram.instruction(BpfProgram.JMP_JEQ_K, BpfProgram.MAX_JUMP + 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.instruction(0x1_0000, 0, 0, 0));
    }

    @Test
    void programsTheKernelWouldRefuseAreRefusedWhenBuilt()
    {
        assertThrows(IllegalArgumentException.class, BpfProgram::of);
        assertThrows(IllegalArgumentException.class,
            () -> BpfProgram.of(BpfProgram.instruction(BpfProgram.LD_H_ABS, 0, 0, 12)));
        final IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> BpfProgram.of(
            BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 1, 0), RET_ZERO));
        assertTrue(past.getMessage().contains("instruction 0"), past.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> BpfProgram.of(new long[BpfProgram.MAX_INSTRUCTIONS + 1]));
    }

    @Test
    void programIsACopyComparedByItsInstructions()
    {
        final long[] instructions = {BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 1, 7), RET_ZERO, RET_ZERO};
        final BpfProgram program = BpfProgram.of(instructions);
        instructions[0] = RET_ZERO;
        assertEquals(3, program.length());
        assertEquals(BpfProgram.JMP_JEQ_K, BpfProgram.code(program.instruction(0)));
        assertEquals(BpfProgram.of(BpfProgram.instruction(BpfProgram.JMP_JEQ_K, 0, 1, 7), RET_ZERO, RET_ZERO),
            program);
        assertNotEquals(BpfProgram.of(RET_ZERO), program);
        assertTrue(program.toString().startsWith("{ 0x15, 0, 1, 0x00000007 },"), program.toString());
    }
}
