package io.jlvs.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who owns which lab: a prefix is claimed by writing {@code /run/jlvs-lab/<prefix>.pid} (the owner's pid and start
 * time) before any namespace exists, so that a later run can tell a crashed run's namespaces from a live one's and
 * delete only the former.
 */
final class LabRegistry
{
    /** /run is a tmpfs: a reboot, which also clears every namespace, clears the claims. */
    static final Path RUN_DIR = Path.of("/run/jlvs-lab");
    /** Where {@code ip netns add} bind-mounts named namespaces (what {@link NetworkNamespace} opens). */
    static final Path NETNS_DIR = Path.of("/var/run/netns");
    /** "jl" and 6 hex digits, then '-' and the role. */
    static final Pattern LAB_NAMESPACE = Pattern.compile("(jl[0-9a-f]{6})-.+");
    private static final Pattern PID_FILE = Pattern.compile("(jl[0-9a-f]{6})\\.pid");
    private static final String PREFIX_START = "jl";
    private static final int PREFIX_RANDOM_HEX_DIGITS = 6;
    /** Collisions among 16M prefixes are rare; a few tries make one practically impossible. */
    private static final int MAX_CLAIM_ATTEMPTS = 16;
    private static final char ZOMBIE_STATE = 'Z';
    private static final SecureRandom RANDOM = new SecureRandom();

    private LabRegistry()
    {
    }

    /** Picks an unused prefix and writes its claim atomically (fails if another run wrote the same one first). */
    static String claimPrefix() throws IOException
    {
        Files.createDirectories(RUN_DIR);
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++)
        {
            final String prefix = PREFIX_START +
                String.format("%0" + PREFIX_RANDOM_HEX_DIGITS + "x", RANDOM.nextInt(1 << (4 * PREFIX_RANDOM_HEX_DIGITS)));
            if (!namespacesOf(prefix).isEmpty())
            {
                continue;
            }
            try
            {
                Files.writeString(pidFile(prefix), ownerRecord(ProcessHandle.current()), StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return prefix;
            }
            catch (final FileAlreadyExistsException ex)
            {
                // another run claimed it between our check and our write: pick again
            }
        }
        throw new IOException("no free lab prefix after " + MAX_CLAIM_ATTEMPTS + " attempts in " + RUN_DIR);
    }

    /** Drops the claim; call only once the prefix's namespaces are gone. */
    static void release(final String prefix) throws IOException
    {
        Files.deleteIfExists(pidFile(prefix));
    }

    /** Names of the existing namespaces that start with {@code prefix + "-"}, sorted. */
    static List<String> namespacesOf(final String prefix) throws IOException
    {
        final List<String> names = new ArrayList<>();
        for (final String name : allNamespaces())
        {
            if (name.startsWith(prefix + "-"))
            {
                names.add(name);
            }
        }
        return names;
    }

    /** Deletes every lab namespace and claim whose owner is gone; returns the deleted namespaces. */
    static List<String> sweepStale() throws IOException
    {
        final Map<String, List<String>> byPrefix = new HashMap<>();
        for (final String name : allNamespaces())
        {
            final Matcher matcher = LAB_NAMESPACE.matcher(name);
            if (matcher.matches())
            {
                byPrefix.computeIfAbsent(matcher.group(1), ignored -> new ArrayList<>()).add(name);
            }
        }
        final TreeSet<String> prefixes = new TreeSet<>(byPrefix.keySet());
        prefixes.addAll(claimedPrefixes());

        final List<String> deleted = new ArrayList<>();
        for (final String prefix : prefixes)
        {
            if (ownerAlive(prefix))
            {
                continue;
            }
            final List<String> names = byPrefix.getOrDefault(prefix, List.of());
            deleteNamespaces(names);
            deleted.addAll(names);
            if (namespacesOf(prefix).isEmpty())
            {
                release(prefix);
            }
        }
        return deleted;
    }

    /** {@code ip netns del} for each name, all attempted even when one fails. */
    static void deleteNamespaces(final List<String> names) throws IOException
    {
        final List<String> lines = new ArrayList<>(names.size());
        for (final String name : names)
        {
            lines.add("netns del " + name);
        }
        Commands.ipBatchForce(lines);
    }

    /** Whether the process that claimed {@code prefix} still runs; no claim (or a garbled one) means no owner. */
    static boolean ownerAlive(final String prefix) throws IOException
    {
        final String record;
        try
        {
            record = Files.readString(pidFile(prefix), StandardCharsets.US_ASCII).trim();
        }
        catch (final NoSuchFileException ex)
        {
            return false;
        }
        final String[] fields = record.split(" ");
        final long pid;
        try
        {
            pid = Long.parseLong(fields[0]);
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
        final Optional<ProcessHandle> owner = ProcessHandle.of(pid);
        if (owner.isEmpty() || !owner.get().isAlive() || isZombie(pid))
        {
            return false;
        }
        // a recycled pid belongs to a process that started later than the one that wrote the claim
        return fields.length < 2 || fields[1].equals(startTime(owner.get()));
    }

    /**
     * A killed process stays a zombie until its parent reaps it, and Java still calls it alive; it owns nothing any
     * more. {@code /proc/PID/stat} is "pid (comm) STATE ...", comm may hold spaces, so read after the last ')'.
     */
    private static boolean isZombie(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == ZOMBIE_STATE;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    static Path pidFile(final String prefix)
    {
        return RUN_DIR.resolve(prefix + ".pid");
    }

    /** What a claim holds: "pid startMillis". */
    static String ownerRecord(final ProcessHandle process)
    {
        return process.pid() + " " + startTime(process) + "\n";
    }

    private static String startTime(final ProcessHandle process)
    {
        return process.info().startInstant().map(instant -> Long.toString(instant.toEpochMilli())).orElse("-");
    }

    private static List<String> claimedPrefixes() throws IOException
    {
        final List<String> prefixes = new ArrayList<>();
        if (!Files.isDirectory(RUN_DIR))
        {
            return prefixes;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(RUN_DIR))
        {
            for (final Path file : files)
            {
                final Matcher matcher = PID_FILE.matcher(file.getFileName().toString());
                if (matcher.matches())
                {
                    prefixes.add(matcher.group(1));
                }
            }
        }
        return prefixes;
    }

    private static List<String> allNamespaces() throws IOException
    {
        final List<String> names = new ArrayList<>();
        if (!Files.isDirectory(NETNS_DIR))
        {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(NETNS_DIR))
        {
            for (final Path file : files)
            {
                names.add(file.getFileName().toString());
            }
        }
        names.sort(null);
        return names;
    }
}
