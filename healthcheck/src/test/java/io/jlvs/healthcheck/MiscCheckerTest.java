package io.jlvs.healthcheck;

import io.jlvs.config.CheckTiming;
import io.jlvs.config.MiscCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiscCheckerTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final long SHORT_TIMEOUT_MS = 300;
    /** The kill is immediate; this bounds a very slow machine, and is not a timing assertion. */
    private static final int DEATH_POLLS = 500;
    private static final long DEATH_POLL_MS = 10;
    private static final CheckTiming TIMING = new CheckTiming(0, 1_000, 5_000, 0, false);

    @TempDir
    Path dir;

    private static MiscCheck misc(final String path, final long timeoutMs, final boolean dynamic)
    {
        return new MiscCheck("test.conf", 1, TIMING, path, List.of(path.split(" ")), timeoutMs, dynamic, null);
    }

    private static CheckOutcome run(final String path, final boolean dynamic) throws Exception
    {
        return new MiscChecker(misc(path, TIMEOUT_MS, dynamic)).check();
    }

    /**
     * Whether {@code pid} no longer runs: gone, or a zombie waiting for init to reap it (a killed grandchild is
     * reaped by init, not by us, and that can take a moment).
     */
    private static boolean deadOrZombie(final long pid) throws Exception
    {
        final Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.notExists(stat))
        {
            return true;
        }
        final String text;
        try
        {
            text = Files.readString(stat);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            return true;
        }
        final char state = text.charAt(text.lastIndexOf(')') + 2);
        return state == 'Z' || state == 'X';
    }

    @Test
    void exitZeroPassesAndOneFails() throws Exception
    {
        assertTrue(run("exit 0", false).passed());
        assertFalse(run("exit 0", false).setsWeight());
        assertFalse(run("exit 1", false).passed());
        assertFalse(run("exit 1", true).passed(), "1 fails even with misc_dynamic");
    }

    @Test
    void exitTwoAndAboveFailWithoutMiscDynamic() throws Exception
    {
        assertFalse(run("exit 2", false).passed());
        assertFalse(run("exit 255", false).passed());
    }

    @Test
    void exitTwoAndAbovePassWithWeightStatusMinusTwoWithMiscDynamic() throws Exception
    {
        assertEquals(CheckOutcome.passWithWeight(0, "exit status 2"), run("exit 2", true));
        assertEquals(CheckOutcome.passWithWeight(40, "exit status 42"), run("exit 42", true));
        assertEquals(CheckOutcome.passWithWeight(253, "exit status 255"), run("exit 255", true));
        assertTrue(run("exit 0", true).passed());
        assertFalse(run("exit 0", true).setsWeight(), "0 keeps the weight");
    }

    @Test
    void runsTheScriptWithItsArguments() throws Exception
    {
        final Path script = dir.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = web1 ] && exit 5\nexit 1\n");
        assertTrue(script.toFile().setExecutable(true));
        assertEquals(CheckOutcome.passWithWeight(3, "exit status 5"), run(script + " web1", true));
        assertFalse(run(script + " web2", true).passed());
    }

    @Test
    void scriptPastItsTimeoutIsKilledWithWhatItStartedAndFails() throws Exception
    {
        final Path pidFile = dir.resolve("child.pid");
        final String script = "sleep 60 & echo $! > " + pidFile + "; wait";
        final CheckOutcome outcome = new MiscChecker(misc(script, SHORT_TIMEOUT_MS, false)).check();
        assertFalse(outcome.passed());
        assertTrue(outcome.detail().contains("timed out"), outcome.detail());
        final long childPid = Long.parseLong(Files.readString(pidFile).trim());
        boolean dead = false;
        for (int i = 0; i < DEATH_POLLS && !dead; i++)
        {
            dead = deadOrZombie(childPid);
            if (!dead)
            {
                Thread.sleep(DEATH_POLL_MS);
            }
        }
        assertTrue(dead, "the script's child " + childPid + " still runs");
    }
}
