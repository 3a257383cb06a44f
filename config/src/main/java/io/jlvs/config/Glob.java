package io.jlvs.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Expands an include pattern the way glob(3) does for keepalived: component by component from the including file's
 * directory (or from the root for an absolute pattern), matches sorted by name, names starting with a dot matched
 * only by a pattern that starts with one. Works on any {@link java.nio.file.FileSystem}, so configuration can be read
 * from a jar too. Brace alternatives ({@code {a,b}}) are supported within one path component.
 */
final class Glob
{
    private Glob()
    {
    }

    static List<Path> expand(final Path base, final String pattern) throws IOException
    {
        final Path patternPath = base.getFileSystem().getPath(pattern);
        List<Path> current = new ArrayList<>();
        current.add(patternPath.isAbsolute() ? patternPath.getRoot() : base);
        for (int i = 0; i < patternPath.getNameCount(); i++)
        {
            final String component = patternPath.getName(i).toString();
            final List<Path> next = new ArrayList<>();
            if (!hasGlobCharacters(component))
            {
                for (final Path dir : current)
                {
                    next.add(dir.resolve(component));
                }
            }
            else
            {
                final PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + component);
                final boolean matchesHidden = component.startsWith(".");
                for (final Path dir : current)
                {
                    addMatches(dir, matcher, matchesHidden, next);
                }
            }
            current = next;
        }
        final List<Path> files = new ArrayList<>();
        for (final Path path : current)
        {
            if (Files.isRegularFile(path))
            {
                files.add(path);
            }
        }
        files.sort(Comparator.comparing(Path::toString));
        return files;
    }

    static boolean hasGlobCharacters(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{')
            {
                return true;
            }
        }
        return false;
    }

    private static void addMatches(
        final Path dir, final PathMatcher matcher, final boolean matchesHidden, final List<Path> into)
        throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return;
        }
        final List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                final Path name = entry.getFileName();
                if (name == null)
                {
                    continue;
                }
                final String nameText = stripTrailingSlash(name.toString());
                if (nameText.startsWith(".") && !matchesHidden)
                {
                    continue;
                }
                if (matcher.matches(name.getFileSystem().getPath(nameText)))
                {
                    // Rebuilt from the directory so that the name used in messages reads like the pattern.
                    matches.add(dir.resolve(nameText));
                }
            }
        }
        matches.sort(Comparator.comparing(Path::toString));
        into.addAll(matches);
    }

    /** The zip file system names directories with a trailing slash. */
    private static String stripTrailingSlash(final String name)
    {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
