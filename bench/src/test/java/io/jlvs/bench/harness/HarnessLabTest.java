package io.jlvs.bench.harness;

import io.jlvs.dataplane.transport.TransportOptions;
import io.jlvs.lab.LabRequirements;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the harness in its short mode on a real lab (root only) and checks that it worked end to end: frames were
 * generated, some reached the real servers through jlvs and through the kernel baseline, the summary was printed
 * and nothing of the lab is left. It asserts no rate and no timing: the machine decides those.
 */
class HarnessLabTest
{
    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    @Test
    void shortRunForwardsEveryCaseThroughJlvsAndTheKernelAndPrintsOneSummaryLinePerCase() throws Exception
    {
        LabRequirements.assumeLabAvailable();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final HarnessReport report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            report = Harness.run(HarnessOptions.parse("--short"), out);
        }
        finally
        {
            // the run's own account, for whoever reads the test log
            System.out.print(bytes.toString(StandardCharsets.UTF_8));
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(List.of("64B", "1500B", "64B", "1500B", "64B SYN-only"),
            report.cases().stream().map(CaseResult::name).toList());
        assertEquals(List.of(1, 1, 2, 2, 1), report.cases().stream().map(CaseResult::workers).toList());
        for (final CaseResult result : report.cases())
        {
            assertTrue(result.jlvs().generated() > 0, result.name() + ": the generator sent nothing with jlvs");
            assertTrue(result.jlvs().received() > 0, result.name() + ": nothing reached the servers through jlvs");
            assertTrue(result.kernel().generated() > 0, result.name() + ": the generator sent nothing, kernel");
            assertTrue(result.kernel().received() > 0,
                result.name() + ": nothing reached the servers through the kernel baseline");
        }
        assertTrue(report.cases().get(4).jlvs().newConnectionsInWindow() > 0,
            "jlvs scheduled no connection in the SYN-only run");

        final List<String> lines = text.lines().toList();
        final List<String> summary = report.summaryLines();
        assertEquals(9, summary.size());
        assertEquals(List.of("half load", "half load", "light load", "light load"),
            report.latency().stream().map(LatencyResult::load).toList());
        assertEquals(List.of(TransportOptions.RxRingVersion.V3, TransportOptions.RxRingVersion.V2,
            TransportOptions.RxRingVersion.V3, TransportOptions.RxRingVersion.V2),
            report.latency().stream().map(LatencyResult::ring).toList());
        assertTrue(summary.get(5).startsWith("64B 1 worker at half load, V3 ring ("), summary.get(5));
        assertTrue(summary.get(8).startsWith("64B 1 worker at light load, V2 ring ("), summary.get(8));
        for (final LatencyResult result : report.latency())
        {
            assertTrue(result.jlvs().received() > 0, result.summaryLine() + ": the paced run reached no server");
            assertTrue(result.jlvs().latency() != null && result.jlvs().latency().frames() > 0,
                result.summaryLine() + ": no latency recorded");
        }
        assertTrue(summary.get(0).startsWith("64B 1 worker: jlvs "), summary.get(0));
        assertTrue(summary.get(1).startsWith("1500B 1 worker: jlvs "), summary.get(1));
        assertTrue(summary.get(2).startsWith("64B 2 workers: jlvs "), summary.get(2));
        assertTrue(summary.get(3).startsWith("1500B 2 workers: jlvs "), summary.get(3));
        // the summary closes the output, in this order
        assertEquals(summary, lines.subList(lines.size() - summary.size(), lines.size()));
        assertTrue(text.contains("share these"), "the output must say that everything shares the cores");

        assertEquals(List.of(), namespacesStartingWith(report.labPrefix()), "namespaces left by the harness");
    }

    private static List<String> namespacesStartingWith(final String prefix) throws IOException
    {
        if (!Files.isDirectory(NETNS_DIR))
        {
            return List.of();
        }
        try (Stream<Path> names = Files.list(NETNS_DIR))
        {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }
}
