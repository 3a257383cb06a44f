package io.jlvs.bench.harness;

import java.util.List;

/**
 * What a harness run produced: its cases, in the order of the summary lines (64-byte single-worker first), and the
 * lab prefix it used, so that a caller can check that nothing of it is left.
 */
public record HarnessReport(String labPrefix, List<CaseResult> cases, HalfLoadResult halfLoad)
{
    public HarnessReport
    {
        cases = List.copyOf(cases);
    }

    /** One line per case, as printed at the end of the run; the half-load latency line last, when it ran. */
    public List<String> summaryLines()
    {
        final List<String> lines = new java.util.ArrayList<>(cases.stream().map(CaseResult::summaryLine).toList());
        if (halfLoad != null)
        {
            lines.add(halfLoad.summaryLine());
        }
        return List.copyOf(lines);
    }
}
