package io.jlvs.config;

import java.nio.file.Path;

/**
 * One file read for the configuration: the name used in messages, its path (includes are resolved from its directory)
 * and where it ends, for "found end of file" messages.
 */
record SourceFile(String name, Path path, int endLine, int endColumn)
{
    /** The directory relative include patterns start from, as keepalived does: the including file's own. */
    Path directory()
    {
        final Path parent = path.getParent();
        return parent != null ? parent : path.getFileSystem().getPath("");
    }
}
