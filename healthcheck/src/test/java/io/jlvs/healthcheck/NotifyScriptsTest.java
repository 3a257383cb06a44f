package io.jlvs.healthcheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifyScriptsTest
{
    private static final long TIMEOUT_MS = 300;
    private static final long CLOSE_WAIT_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void runsScriptsInOrderAndKillsOneThatHangsSoTheNextOnesStillRun() throws Exception
    {
        final Path out = dir.resolve("events");
        final List<String> log = new ArrayList<>();
        try (NotifyScripts scripts = new NotifyScripts(TIMEOUT_MS, CLOSE_WAIT_MS, line ->
        {
            synchronized (log)
            {
                log.add(line);
            }
        }))
        {
            scripts.notify("echo first >> " + out, "one");
            scripts.notify("sleep 60", "hung");
            scripts.notify("echo third >> " + out + "; exit 3", "three");
        }
        assertEquals(List.of("first", "third"), Files.readAllLines(out));
        synchronized (log)
        {
            assertEquals(2, log.size(), log.toString());
            assertTrue(log.get(0).startsWith("notify script killed"), log.get(0));
            assertTrue(log.get(1).startsWith("notify script exited with status 3"), log.get(1));
        }
    }

    @Test
    void scriptsNotifiedAfterCloseAreReportedNotRun() throws Exception
    {
        final Path out = dir.resolve("late");
        final List<String> log = new ArrayList<>();
        final NotifyScripts scripts = new NotifyScripts(TIMEOUT_MS, CLOSE_WAIT_MS, log::add);
        scripts.close();
        scripts.notify("touch " + out, "late");
        assertTrue(Files.notExists(out));
        assertEquals(1, log.size());
    }
}
