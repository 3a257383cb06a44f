package io.jlvs.doctor;

import io.jlvs.scheduler.Ipv4;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HostView} of a real machine: reads /proc and /sys and runs {@code ip}, {@code nft -a list ruleset} and
 * {@code iptables-save}, each bounded in time. It only reads; nothing it runs changes the host.
 * <p>
 * To examine another network namespace, give a command prefix ({@code ip netns exec NS}) and a {@link FileReader}
 * that reads on a thread inside that namespace: /proc/sys/net shows the network namespace of the thread that opens
 * the file. Call it from a thread in the host's own namespace (the commands start processes).
 */
public final class LocalHostView implements HostView
{
    /** {@code ip} and {@code nft} answer in milliseconds; this only bounds a hung command (a stuck netlink dump). */
    public static final long DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
    /** Where {@code ip}, {@code nft} and {@code iptables-save} live when PATH (sudo's, a unit's) leaves sbin out. */
    private static final List<String> FALLBACK_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
    private static final Path PROC_SYS = Path.of("/proc/sys");
    private static final Path PROC = Path.of("/proc");
    private static final Path PROC_MODULES = Path.of("/proc/modules");
    private static final Path SYS_MODULE = Path.of("/sys/module");
    private static final String CMDLINE = "cmdline";
    /** Commands read nothing: a prompt for input must not hang the doctor. */
    private static final String DEV_NULL = "/dev/null";
    /** Error text longer than this is cut: a finding is one line. */
    private static final int MAX_ERROR_CHARS = 200;

    /** Reads a file; throws {@link NoSuchFileException} when it does not exist. */
    @FunctionalInterface
    public interface FileReader
    {
        String read(Path path) throws IOException;
    }

    private final List<String> commandPrefix;
    private final FileReader fileReader;
    private final PacketSocketProbe probe;
    private final long commandTimeoutMs;

    private LocalHostView(final Builder builder)
    {
        this.commandPrefix = List.copyOf(builder.commandPrefix);
        this.fileReader = builder.fileReader;
        this.probe = builder.probe;
        this.commandTimeoutMs = builder.commandTimeoutMs;
    }

    /** The host this process runs on, without an AF_PACKET probe. */
    public static LocalHostView local()
    {
        return builder().build();
    }

    public static Builder builder()
    {
        return new Builder();
    }

    @Override
    public Reading sysctl(final String path)
    {
        if (path.isEmpty() || path.startsWith("/") || path.contains(".."))
        {
            throw new IllegalArgumentException("a sysctl path is relative to /proc/sys, path=" + path);
        }
        final Reading file = read(fileReader, PROC_SYS.resolve(path));
        return file.isPresent() ? Reading.present(file.text().trim()) : file;
    }

    @Override
    public Reading addresses()
    {
        return run("ip", "-o", "addr", "show");
    }

    @Override
    public Reading links()
    {
        return run("ip", "-o", "link", "show");
    }

    @Override
    public Reading routeGet(final int destination, final int source)
    {
        return source == 0 ?
            run("ip", "-o", "route", "get", Ipv4.toString(destination)) :
            run("ip", "-o", "route", "get", Ipv4.toString(destination), "from", Ipv4.toString(source));
    }

    @Override
    public Reading nftRuleset()
    {
        // -a prints each rule's handle, which makes "nft delete rule ... handle N" fixes possible
        return run("nft", "-a", "list", "ruleset");
    }

    @Override
    public Reading iptablesSave()
    {
        return run("iptables-save");
    }

    @Override
    public Reading modules()
    {
        return read(Files::readString, PROC_MODULES);
    }

    @Override
    public boolean kernelModulePresent(final String name)
    {
        return !name.contains("/") && Files.isDirectory(SYS_MODULE.resolve(name));
    }

    @Override
    public Reading processes()
    {
        // Only processes of the network namespace examined: a tunnel endpoint in another one decapsulates nothing here.
        final String namespace = examinedNamespace();
        final StringBuilder lines = new StringBuilder();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC))
        {
            for (final Path entry : entries)
            {
                final String pid = entry.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit))
                {
                    continue;
                }
                final String commandLine;
                try
                {
                    commandLine = new String(Files.readAllBytes(entry.resolve(CMDLINE)), StandardCharsets.UTF_8)
                        .replace('\0', ' ').trim();
                }
                catch (final IOException ex)
                {
                    // the process ended while we looked: it runs nothing anymore
                    continue;
                }
                if (!commandLine.isEmpty() && (namespace == null || namespace.equals(networkNamespaceOf(entry))))
                {
                    lines.append(pid).append(' ').append(commandLine.replace('\n', ' ')).append('\n');
                }
            }
        }
        catch (final IOException ex)
        {
            return Reading.failed("cannot list " + PROC + ": " + ex.getMessage());
        }
        return Reading.present(lines.toString());
    }

    /** The network namespace this view examines, as its /proc link reads ({@code net:[4026531840]}); null if unknown. */
    private String examinedNamespace()
    {
        if (commandPrefix.isEmpty())
        {
            return networkNamespaceOf(Path.of("/proc/self"));
        }
        final Reading link = run("readlink", "/proc/self/ns/net");
        return link.isPresent() ? link.text().strip() : null;
    }

    private static String networkNamespaceOf(final Path processDirectory)
    {
        try
        {
            return Files.readSymbolicLink(processDirectory.resolve("ns/net")).toString();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    @Override
    public Reading packetSocketProbe(final String interfaceName)
    {
        return probe == null ? Reading.absent("no AF_PACKET probe was given") : probe.probe(interfaceName);
    }

    private static Reading read(final FileReader reader, final Path path)
    {
        try
        {
            return Reading.present(reader.read(path));
        }
        catch (final NoSuchFileException ex)
        {
            return Reading.absent(path + " does not exist");
        }
        catch (final IOException ex)
        {
            return Reading.failed("cannot read " + path + ": " + ex.getMessage());
        }
    }

    /** Runs {@code program args...} (with the prefix); absent when the program is not installed. */
    private Reading run(final String program, final String... args)
    {
        final String executable = findExecutable(program);
        if (executable == null)
        {
            return Reading.absent(program + " is not installed");
        }
        final List<String> command = new ArrayList<>(commandPrefix);
        command.add(executable);
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try
        {
            out = Files.createTempFile("jlvs-doctor-", ".out");
            err = Files.createTempFile("jlvs-doctor-", ".err");
            final Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File(DEV_NULL)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            if (!process.waitFor(commandTimeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return Reading.failed(String.join(" ", command) + " did not finish within " + commandTimeoutMs +
                    " ms");
            }
            if (process.exitValue() != 0)
            {
                final String error = Files.readString(err).strip().replace('\n', ' ');
                return Reading.failed(error.isEmpty() ? "exit status " + process.exitValue() : cut(error));
            }
            return Reading.present(Files.readString(out));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Reading.failed("interrupted while running " + String.join(" ", command));
        }
        catch (final IOException ex)
        {
            return Reading.failed("cannot run " + String.join(" ", command) + ": " + cut(ex.getMessage()));
        }
        finally
        {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String cut(final String text)
    {
        return text == null ? "" : text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private static void deleteQuietly(final Path path)
    {
        if (path == null)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            // a temporary file left in /tmp is not worth failing a diagnosis for
        }
    }

    /** The absolute path of {@code program} on PATH or in the sbin/bin fallbacks, or null. */
    static String findExecutable(final String program)
    {
        final List<String> directories = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String directory : path.split(":"))
            {
                if (!directory.isEmpty())
                {
                    directories.add(directory);
                }
            }
        }
        directories.addAll(FALLBACK_DIRECTORIES);
        for (final String directory : directories)
        {
            final Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Builds a {@link LocalHostView}; every setter returns {@code this}. */
    public static final class Builder
    {
        private List<String> commandPrefix = List.of();
        private FileReader fileReader = Files::readString;
        private PacketSocketProbe probe;
        private long commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS;

        private Builder()
        {
        }

        /** Words put before every command, e.g. {@code ip netns exec NS} to look inside a namespace. */
        public Builder commandPrefix(final List<String> commandPrefix)
        {
            this.commandPrefix = List.copyOf(commandPrefix);
            return this;
        }

        /** How /proc/sys files are read (default: directly, in the calling thread's namespace). */
        public Builder fileReader(final FileReader fileReader)
        {
            if (fileReader == null)
            {
                throw new IllegalArgumentException("fileReader must not be null");
            }
            this.fileReader = fileReader;
            return this;
        }

        /** The AF_PACKET probe for the director's interface (the application has the dataplane to try it with). */
        public Builder packetSocketProbe(final PacketSocketProbe probe)
        {
            this.probe = probe;
            return this;
        }

        public Builder commandTimeoutMs(final long commandTimeoutMs)
        {
            if (commandTimeoutMs <= 0)
            {
                throw new IllegalArgumentException("commandTimeoutMs must be > 0, commandTimeoutMs=" +
                    commandTimeoutMs);
            }
            this.commandTimeoutMs = commandTimeoutMs;
            return this;
        }

        public LocalHostView build()
        {
            return new LocalHostView(this);
        }
    }
}
