package io.jlvs.doctor;

import java.util.ArrayList;
import java.util.List;

/** Everything the doctor found on one host, in the order the checks ran, and the exit status it implies. */
public final class Diagnosis
{
    /** Exit status when nothing failed (warnings alone do not make a host wrong). */
    public static final int EXIT_OK = 0;
    /** Exit status when at least one finding is {@link Severity#FAIL}. */
    public static final int EXIT_FAIL = 1;

    private final Role role;
    private final List<Finding> findings;

    public Diagnosis(final Role role, final List<Finding> findings)
    {
        this.role = role;
        this.findings = List.copyOf(findings);
    }

    public Role role()
    {
        return role;
    }

    public List<Finding> findings()
    {
        return findings;
    }

    /** The findings of one check, in order. */
    public List<Finding> findings(final String checkId)
    {
        final List<Finding> matching = new ArrayList<>();
        for (final Finding finding : findings)
        {
            if (finding.checkId().equals(checkId))
            {
                matching.add(finding);
            }
        }
        return matching;
    }

    /** The findings of one severity, in order. */
    public List<Finding> findings(final Severity severity)
    {
        final List<Finding> matching = new ArrayList<>();
        for (final Finding finding : findings)
        {
            if (finding.severity() == severity)
            {
                matching.add(finding);
            }
        }
        return matching;
    }

    public int count(final Severity severity)
    {
        return findings(severity).size();
    }

    public boolean hasFailures()
    {
        return count(Severity.FAIL) > 0;
    }

    /** {@link #EXIT_FAIL} when any finding failed, else {@link #EXIT_OK}. */
    public int exitCode()
    {
        return hasFailures() ? EXIT_FAIL : EXIT_OK;
    }

    @Override
    public String toString()
    {
        return "Diagnosis{" + role.label() + ", " + findings + '}';
    }
}
