package io.jlvs.lab;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether lab tests can run here: they need root and iproute2. A lab test starts with
 * {@link #assumeLabAvailable()}, which skips it with the reason, or fails it when {@code CI=true} (a CI machine that
 * silently skips the lab tests would prove nothing).
 * <p>
 * Only the {@code assume*} methods use JUnit; {@link #unavailableReason()} and {@link #isRoot()} do not, so the
 * application's {@code demo} can use them without JUnit on its class path.
 */
public final class LabRequirements
{
    /** Where {@code ip} lives when PATH (a service's or sudo's) leaves out the sbin directories. */
    private static final List<String> IP_FALLBACKS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");
    private static final String PROC_STATUS = "/proc/self/status";
    private static final String UID_LINE = "Uid:";
    /** Field of the {@code Uid:} line holding the effective uid (real, effective, saved, filesystem). */
    private static final int EFFECTIVE_UID_FIELD = 2;

    private LabRequirements()
    {
    }

    /**
     * Skips the calling test with the reason when the lab cannot run here, or fails it instead when the environment
     * variable {@code CI} is {@code true}.
     */
    public static void assumeLabAvailable()
    {
        final Optional<String> reason = unavailableReason();
        if (reason.isEmpty())
        {
            return;
        }
        if (isCi())
        {
            Assertions.fail("lab tests cannot run (" + reason.get() + ") and CI=true, so this fails instead of " +
                "skipping");
        }
        Assumptions.abort("lab test skipped: " + reason.get());
    }

    /** The name DEVELOPERS.md gives {@link #assumeLabAvailable()}; the same check. */
    public static void assumeRoot()
    {
        assumeLabAvailable();
    }

    /** Why the lab cannot run here (not root, no iproute2), or empty when it can. */
    public static Optional<String> unavailableReason()
    {
        final List<String> missing = new ArrayList<>();
        if (!isRoot())
        {
            missing.add("needs root (network namespaces, veth pairs and sysctls need CAP_SYS_ADMIN/CAP_NET_ADMIN)");
        }
        if (findIp() == null)
        {
            missing.add("needs iproute2's 'ip' (apt-get install iproute2)");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
    }

    /** Whether this process runs with effective uid 0. */
    public static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of(PROC_STATUS)))
            {
                if (line.startsWith(UID_LINE))
                {
                    final String[] fields = line.trim().split("\\s+");
                    return fields.length > EFFECTIVE_UID_FIELD && "0".equals(fields[EFFECTIVE_UID_FIELD]);
                }
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        return false;
    }

    private static boolean isCi()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Absolute path of {@code ip}. */
    static String ipCommand()
    {
        final String ip = findIp();
        if (ip == null)
        {
            throw new IllegalStateException("iproute2's 'ip' not found on PATH nor in " + IP_FALLBACKS);
        }
        return ip;
    }

    private static String findIp()
    {
        final List<String> candidates = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(":"))
            {
                if (!dir.isEmpty())
                {
                    candidates.add(dir + "/ip");
                }
            }
        }
        candidates.addAll(IP_FALLBACKS);
        for (final String candidate : candidates)
        {
            final Path file = Path.of(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file))
            {
                return candidate;
            }
        }
        return null;
    }
}
