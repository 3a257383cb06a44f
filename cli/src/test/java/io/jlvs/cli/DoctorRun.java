package io.jlvs.cli;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Severity;
import io.jlvs.lab.Lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@code jlvs doctor ... --json} run in a lab namespace, read as a script reads it: the exit code and the
 * findings parsed from the JSON document (whose own {@code exitCode} must agree with the process's).
 */
record DoctorRun(int exitCode, List<Finding> findings, String json)
{
    /** Runs {@code jlvs doctor ARGS --json} in {@code namespace} as a process of its own. */
    static DoctorRun run(final String namespace, final Path directory, final String name, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add("doctor");
        command.addAll(List.of(args));
        command.add("--json");
        final JlvsProcess.Result result = JlvsProcess.run(namespace, directory, name, command.toArray(new String[0]));
        final Map<String, Object> document;
        try
        {
            document = Json.map(Json.parse(result.out()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new AssertionError("doctor --json printed no JSON document: " + ex.getMessage() + "\n" + result, ex);
        }
        final List<Finding> findings = new ArrayList<>();
        for (final Object item : Json.list(document.get("findings")))
        {
            final Map<String, Object> finding = Json.map(item);
            findings.add(new Finding((String)finding.get("check"), Severity.valueOf((String)finding.get("severity")),
                (String)finding.get("message"), (String)finding.get("fix")));
        }
        assertEquals((long)result.exitCode(), document.get("exitCode"), "the JSON's exitCode is the process's:\n" +
            result);
        return new DoctorRun(result.exitCode(), findings, result.out());
    }

    /** The findings that are not OK, in order. */
    List<Finding> problems()
    {
        final List<Finding> problems = new ArrayList<>();
        for (final Finding finding : findings)
        {
            if (finding.severity() != Severity.OK)
            {
                problems.add(finding);
            }
        }
        return problems;
    }

    /** The findings of one check, in order. */
    List<Finding> findings(final String checkId)
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

    /** Asserts that nothing but OK was found and the exit code is 0. */
    void assertNoProblems()
    {
        assertEquals(List.of(), problems(), json);
        assertEquals(ExitCodes.OK, exitCode, json);
    }

    /**
     * Asserts that exactly one problem was found, of {@code checkId} and {@code severity}, with {@code fix} as its
     * fix and a message (one line, which {@link Finding} guarantees); the exit code is 1 for a FAIL, 0 for a WARN.
     */
    Finding assertOnlyProblem(final String checkId, final Severity severity, final String fix)
    {
        final List<Finding> problems = problems();
        assertEquals(1, problems.size(), json);
        final Finding problem = problems.get(0);
        assertEquals(checkId, problem.checkId(), json);
        assertEquals(severity, problem.severity(), json);
        assertEquals(fix, problem.fix(), json);
        assertFalse(problem.message().isBlank(), json);
        assertEquals(severity == Severity.FAIL ? 1 : ExitCodes.OK, exitCode, json);
        return problem;
    }

    /** Asserts that {@code checkId} has exactly one finding, OK, whose message contains {@code words}. */
    void assertOk(final String checkId, final String words)
    {
        final List<Finding> matching = findings(checkId);
        assertEquals(1, matching.size(), json);
        assertEquals(Severity.OK, matching.get(0).severity(), json);
        assertTrue(matching.get(0).message().contains(words), json);
    }

    /** Runs a finding's fix in {@code namespace} as an operator pastes it: each command of an {@code &&} chain. */
    static void applyFix(final Lab lab, final String namespace, final Finding finding) throws IOException
    {
        assertFalse(finding.fix().isEmpty(), "no fix to run: " + finding);
        for (final String command : finding.fix().split(" && "))
        {
            lab.exec(namespace, command.split(" "));
        }
    }
}
