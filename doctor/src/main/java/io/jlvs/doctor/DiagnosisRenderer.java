package io.jlvs.doctor;

import java.util.List;

/**
 * Prints a {@link Diagnosis}: as text, one line per finding (severity, check id, message, and the fix when there is
 * one) and a count line; or as JSON for {@code --json}:
 * <pre>
 * {
 *   "role": "real-server",
 *   "exitCode": 1,
 *   "counts": {"OK": 7, "WARN": 0, "FAIL": 1},
 *   "findings": [
 *     {"check": "arp-ignore", "severity": "FAIL", "message": "...", "fix": "sysctl -w ..."}
 *   ]
 * }
 * </pre>
 */
public final class DiagnosisRenderer
{
    /** Separates a finding's message from its fix on a text line. */
    public static final String FIX_SEPARATOR = " | fix: ";
    /** Wide enough for the longest severity name, so that messages line up. */
    private static final int SEVERITY_WIDTH = 4;
    /** Below this, a character must be escaped in a JSON string (RFC 8259, section 7). */
    private static final char FIRST_UNESCAPED = 0x20;
    private static final int UNICODE_ESCAPE_DIGITS = 4;
    private static final int HEX_RADIX = 16;

    private DiagnosisRenderer()
    {
    }

    /** One line per finding, then {@code N FAIL, N WARN, N OK}; every line ends in a newline. */
    public static String text(final Diagnosis diagnosis)
    {
        int idWidth = 0;
        for (final Finding finding : diagnosis.findings())
        {
            idWidth = Math.max(idWidth, finding.checkId().length());
        }
        final StringBuilder out = new StringBuilder();
        for (final Finding finding : diagnosis.findings())
        {
            out.append(pad(finding.severity().name(), SEVERITY_WIDTH)).append(' ')
                .append(pad(finding.checkId(), idWidth)).append(' ')
                .append(finding.message());
            if (!finding.fix().isEmpty())
            {
                out.append(FIX_SEPARATOR).append(finding.fix());
            }
            out.append('\n');
        }
        out.append(diagnosis.count(Severity.FAIL)).append(" FAIL, ")
            .append(diagnosis.count(Severity.WARN)).append(" WARN, ")
            .append(diagnosis.count(Severity.OK)).append(" OK\n");
        return out.toString();
    }

    /** The JSON document shown in the class comment, ending in a newline. */
    public static String json(final Diagnosis diagnosis)
    {
        final StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"role\": ").append(quote(diagnosis.role().label())).append(",\n");
        out.append("  \"exitCode\": ").append(diagnosis.exitCode()).append(",\n");
        out.append("  \"counts\": {");
        final Severity[] severities = Severity.values();
        for (int i = 0; i < severities.length; i++)
        {
            out.append(i == 0 ? "" : ", ").append(quote(severities[i].name())).append(": ")
                .append(diagnosis.count(severities[i]));
        }
        out.append("},\n");
        out.append("  \"findings\": [");
        final List<Finding> findings = diagnosis.findings();
        for (int i = 0; i < findings.size(); i++)
        {
            final Finding finding = findings.get(i);
            out.append(i == 0 ? "\n" : ",\n")
                .append("    {\"check\": ").append(quote(finding.checkId()))
                .append(", \"severity\": ").append(quote(finding.severity().name()))
                .append(", \"message\": ").append(quote(finding.message()))
                .append(", \"fix\": ").append(quote(finding.fix())).append('}');
        }
        out.append(findings.isEmpty() ? "]\n" : "\n  ]\n");
        out.append("}\n");
        return out.toString();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2);
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < FIRST_UNESCAPED)
                    {
                        final String hex = Integer.toString(c, HEX_RADIX);
                        out.append("\\u").append("0".repeat(UNICODE_ESCAPE_DIGITS - hex.length())).append(hex);
                    }
                    else
                    {
                        out.append(c);
                    }
                    break;
            }
        }
        return out.append('"').toString();
    }

    private static String pad(final String text, final int width)
    {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
