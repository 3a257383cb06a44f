package io.jlvs.doctor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on a diagnosis: which findings are not OK, exactly, with their fixes. */
final class Expect
{
    private Expect()
    {
    }

    /** A finding that is not OK: its check, severity and fix (the message is checked by contains where it matters). */
    record Problem(String checkId, Severity severity, String fix)
    {
        @Override
        public String toString()
        {
            return severity + " " + checkId + " fix=[" + fix + "]";
        }
    }

    static Problem fail(final String checkId, final String fix)
    {
        return new Problem(checkId, Severity.FAIL, fix);
    }

    static Problem warn(final String checkId, final String fix)
    {
        return new Problem(checkId, Severity.WARN, fix);
    }

    /** The findings that are not OK are exactly {@code expected}, in order. */
    static void problems(final Diagnosis diagnosis, final Problem... expected)
    {
        final List<Problem> actual = new ArrayList<>();
        for (final Finding finding : diagnosis.findings())
        {
            if (finding.severity() != Severity.OK)
            {
                actual.add(new Problem(finding.checkId(), finding.severity(), finding.fix()));
            }
        }
        assertEquals(List.of(expected), actual, () -> "findings:\n" + DiagnosisRenderer.text(diagnosis));
    }

    /** Every finding is OK, each of {@code checkIds} ran, and the exit status is 0. */
    static void allOk(final Diagnosis diagnosis, final String... checkIds)
    {
        problems(diagnosis);
        for (final String checkId : checkIds)
        {
            assertFalse(diagnosis.findings(checkId).isEmpty(), () -> checkId + " did not run:\n" +
                DiagnosisRenderer.text(diagnosis));
        }
        assertEquals(Diagnosis.EXIT_OK, diagnosis.exitCode());
    }

    /** The single finding of {@code checkId} says {@code text} somewhere. */
    static void says(final Diagnosis diagnosis, final String checkId, final String text)
    {
        final List<Finding> findings = diagnosis.findings(checkId);
        assertEquals(1, findings.size(), () -> "one finding of " + checkId + " expected:\n" +
            DiagnosisRenderer.text(diagnosis));
        assertTrue(findings.get(0).message().contains(text), () -> checkId + " should say '" + text + "': " +
            findings.get(0).message());
    }
}
