package io.jlvs.config;

import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.Scheduler;
import io.jlvs.scheduler.SchedulerFactory;
import io.jlvs.scheduler.SchedulerFlags;
import io.jlvs.scheduler.Schedulers;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * The keepalived.conf samples of jlvs-test-fixtures, as {@link Path}s: plain files when the fixtures module is a
 * directory on the class path, zip entries when it is a jar (the reader works on either file system).
 */
final class Fixtures
{
    private static final String ROOT = "/io/jlvs/fixtures/keepalived/";

    private Fixtures()
    {
    }

    static Path path(final String relative)
    {
        final URL url = Fixtures.class.getResource(ROOT + relative);
        if (url == null)
        {
            throw new IllegalStateException("fixture missing from the class path: " + ROOT + relative);
        }
        try
        {
            final URI uri = url.toURI();
            if (uri.getScheme().equals("jar"))
            {
                try
                {
                    FileSystems.getFileSystem(uri);
                }
                catch (final FileSystemNotFoundException ex)
                {
                    FileSystems.newFileSystem(uri, Map.of());
                }
            }
            return Path.of(uri);
        }
        catch (final URISyntaxException | IOException ex)
        {
            throw new IllegalStateException("cannot open fixture " + relative, ex);
        }
    }

    static DirectorConfig parse(final String relative) throws ConfigException
    {
        return KeepalivedConfig.parse(path(relative));
    }

    /**
     * The scheduler module may not have registered every scheduler yet; the reader only asks whether a name exists,
     * so the names the samples use are registered with factories that are never called.
     */
    static void registerSchedulers(final String... names)
    {
        for (final String name : names)
        {
            if (!Schedulers.exists(name))
            {
                Schedulers.register(new NameOnlyFactory(name));
            }
        }
    }

    /** A registry entry for a name only: the config module never builds a scheduler. */
    private record NameOnlyFactory(String name) implements SchedulerFactory
    {
        @Override
        public Scheduler create(final RealServer[] servers, final SchedulerFlags flags)
        {
            throw new UnsupportedOperationException("config tests register scheduler names only: " + name);
        }
    }
}
