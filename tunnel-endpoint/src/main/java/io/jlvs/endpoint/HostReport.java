package io.jlvs.endpoint;

import java.util.ArrayList;
import java.util.List;

/** The findings of one {@link HostCheck}, in the order they were checked. */
public record HostReport(List<HostFinding> findings)
{
    public HostReport
    {
        findings = List.copyOf(findings);
    }

    /** Whether any finding is a {@link HostFinding.Severity#PROBLEM} (what {@code --strict} refuses to run with). */
    public boolean hasProblems()
    {
        for (final HostFinding finding : findings)
        {
            if (finding.severity() == HostFinding.Severity.PROBLEM)
            {
                return true;
            }
        }
        return false;
    }

    /** The problems only. */
    public List<HostFinding> problems()
    {
        final List<HostFinding> problems = new ArrayList<>();
        for (final HostFinding finding : findings)
        {
            if (finding.severity() == HostFinding.Severity.PROBLEM)
            {
                problems.add(finding);
            }
        }
        return problems;
    }

    /** One line per finding, to print at start. */
    public List<String> lines()
    {
        final List<String> lines = new ArrayList<>(findings.size());
        for (final HostFinding finding : findings)
        {
            lines.add(finding.line());
        }
        return lines;
    }
}
