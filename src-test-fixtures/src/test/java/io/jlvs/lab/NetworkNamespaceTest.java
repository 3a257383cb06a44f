package io.jlvs.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetworkNamespaceTest
{
    @Test
    void threadEntersNamespaceAndReturns() throws Exception
    {
        Assumptions.assumeTrue("0".equals(new ProcessBuilder("id", "-u").start().inputReader().readLine()),
            "needs root");
        final String name = "jlvs-nstest-" + ProcessHandle.current().pid();
        assertEquals(0, new ProcessBuilder("ip", "netns", "add", name).inheritIO().start().waitFor());
        try
        {
            final String before = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            final String inside = NetworkNamespace.call(name,
                () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            final String after = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            assertNotEquals(before, inside);
            assertEquals(before, after);
        }
        finally
        {
            new ProcessBuilder("ip", "netns", "del", name).inheritIO().start().waitFor();
        }
    }

    @Test
    void enteringAMissingNamespaceNamesIt()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> NetworkNamespace.enter("jlvs-no-such-namespace"));
        org.junit.jupiter.api.Assertions.assertTrue(ex.getMessage().contains("jlvs-no-such-namespace"), ex.getMessage());
    }
}
