package io.jlvs.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warnings of one read, in the order they were found. A keepalived section jlvs does not implement is reported
 * once, at its first occurrence, with how many times it occurs, so that a file with twenty {@code vrrp_instance}
 * blocks gives one line, not twenty.
 */
final class Diagnostics
{
    private final List<ConfigWarning> warnings = new ArrayList<>();
    private final Map<String, int[]> sections = new HashMap<>();
    private final Map<String, String> sectionReasons = new HashMap<>();

    void warn(final Token at, final String message)
    {
        warnings.add(at.warning(message));
    }

    /** An unimplemented section: remembered at its first occurrence, counted at the others. */
    void sectionIgnored(final Token at, final String reason)
    {
        final int[] indexAndCount = sections.get(at.text);
        if (indexAndCount != null)
        {
            indexAndCount[1]++;
            return;
        }
        sections.put(at.text, new int[] {warnings.size(), 1});
        sectionReasons.put(at.text, reason);
        warnings.add(at.warning(""));
    }

    List<ConfigWarning> warnings()
    {
        final List<ConfigWarning> result = new ArrayList<>(warnings);
        for (final Map.Entry<String, int[]> section : sections.entrySet())
        {
            final int index = section.getValue()[0];
            final int count = section.getValue()[1];
            final ConfigWarning first = result.get(index);
            final String occurrences = count == 1 ? "" : " (" + count + " occurrences)";
            result.set(index, new ConfigWarning(first.file(), first.line(), first.column(),
                "'" + section.getKey() + "' is not implemented by jlvs and is ignored" + occurrences +
                sectionReasons.get(section.getKey())));
        }
        return result;
    }
}
