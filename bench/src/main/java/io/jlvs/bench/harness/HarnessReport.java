package io.jlvs.bench.harness;

import java.util.List;

/**
 * What a harness run produced: its cases, in the order of the summary lines (64-byte single-worker first), and the
 * lab prefix it used, so that a caller can check that nothing of it is left.
 */
public record HarnessReport(String labPrefix, List<CaseResult> cases)
{
    public HarnessReport
    {
        cases = List.copyOf(cases);
    }

    /** One line per case, as printed at the end of the run. */
    public List<String> summaryLines()
    {
        return cases.stream().map(CaseResult::summaryLine).toList();
    }
}
