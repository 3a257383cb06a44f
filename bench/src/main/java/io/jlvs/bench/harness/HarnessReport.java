package io.jlvs.bench.harness;

import java.util.List;

/**
 * What a harness run produced: its cases, in the order of the summary lines (64-byte single-worker first), and the
 * lab prefix it used, so that a caller can check that nothing of it is left.
 */
public record HarnessReport(String labPrefix, List<CaseResult> cases, List<LatencyResult> latency)
{
    public HarnessReport
    {
        cases = List.copyOf(cases);
        latency = List.copyOf(latency);
    }

    /** One line per case, as printed at the end of the run; the latency cases' lines last. */
    public List<String> summaryLines()
    {
        final List<String> lines = new java.util.ArrayList<>(cases.stream().map(CaseResult::summaryLine).toList());
        latency.forEach(result -> lines.add(result.summaryLine()));
        return List.copyOf(lines);
    }
}
