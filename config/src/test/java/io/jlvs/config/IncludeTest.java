package io.jlvs.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code include} as keepalived does it, on the default file system: globs relative to the including file. */
class IncludeTest
{
    private static final String SERVICE_HEAD = "virtual_server 10.0.0.1 80 {\n    lb_kind DR\n    protocol TCP\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void schedulers()
    {
        Fixtures.registerSchedulers("rr", "wlc");
    }

    @Test
    void globsMatchInNameOrderRelativeToTheIncludingFile() throws IOException, ConfigException
    {
        final Path main = write("etc/keepalived.conf", SERVICE_HEAD + "    include pool/*.conf\n}\n");
        write("etc/pool/b.conf", "real_server 10.0.1.2 80 {\n    include ../weights/two\n}\n");
        write("etc/pool/a.conf", "real_server 10.0.1.1 80 {\n}\n");
        write("etc/pool/notes.txt", "not matched\n");
        write("etc/pool/.hidden.conf", "real_server 10.0.1.9 80 {\n}\n");
        write("etc/weights/two", "weight 2\n");

        final DirectorConfig config = KeepalivedConfig.parse(main);

        final List<RealServerConfig> servers = config.services().get(0).realServers();
        assertEquals(List.of(dir.resolve("etc/pool/a.conf").toString(), dir.resolve("etc/pool/b.conf").toString()),
            servers.stream().map(RealServerConfig::file).toList());
        assertEquals(List.of(1, 2), servers.stream().map(RealServerConfig::weight).toList());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void braceAlternativesAndQuestionMarksAreGlobs() throws IOException, ConfigException
    {
        final Path main = write("keepalived.conf", SERVICE_HEAD + "    include rs/{web,api}.conf rs/db?.conf\n}\n");
        write("rs/web.conf", "real_server 10.0.1.1 80\n");
        write("rs/api.conf", "real_server 10.0.1.2 80\n");
        write("rs/other.conf", "real_server 10.0.1.3 80\n");
        write("rs/db1.conf", "real_server 10.0.1.4 80\n");

        final List<RealServerConfig> servers = KeepalivedConfig.parse(main).services().get(0).realServers();

        // Each pattern's matches in name order, patterns in the order written.
        assertEquals(List.of("10.0.1.2:80", "10.0.1.1:80", "10.0.1.4:80"),
            servers.stream().map(RealServerConfig::endpoint).toList());
    }

    @Test
    void plainIncludeMatchingNothingWarnsAndCheckingVariantsFail() throws IOException
    {
        final Path main = write("keepalived.conf", "include missing/*.conf\n");
        assertEquals(List.of(
            new ConfigWarning(main.toString(), 1, 9, "include 'missing/*.conf' matches no file"),
            new ConfigWarning(main.toString(), 1, 1, "no virtual_server is defined: jlvs has nothing to balance")),
            assertParses(main).warnings());

        final Path strict = write("strict.conf", "includem missing/*.conf\n");
        assertEquals(strict + ":1:10: expected at least one file matching 'missing/*.conf', found none",
            assertThrows(ConfigException.class, () -> KeepalivedConfig.parse(strict)).getMessage());
    }

    @Test
    void includeWithoutPatternIsAnError() throws IOException
    {
        final Path main = write("keepalived.conf", "include\n");
        assertEquals(main + ":1:8: expected a file name or glob pattern after include, found end of line",
            assertThrows(ConfigException.class, () -> KeepalivedConfig.parse(main)).getMessage());
    }

    @Test
    void textIsReadWithIncludesRelativeToItsNamedDirectory() throws IOException, ConfigException
    {
        write("conf.d/rs.conf", "real_server 10.0.1.1 80\n");
        final String name = dir.resolve("keepalived.conf").toString();

        final DirectorConfig config = KeepalivedConfig.parse(SERVICE_HEAD + "include conf.d/rs.conf\n}\n", name);

        assertEquals(dir.resolve("conf.d/rs.conf").toString(), config.services().get(0).realServers().get(0).file());
        assertEquals(name, config.services().get(0).file());
    }

    @Test
    void blockLeftOpenAcrossAnIncludeIsReportedAtTheEndOfTheFileThatOpenedIt() throws IOException
    {
        final Path main = write("keepalived.conf", SERVICE_HEAD + "include rs.conf\n}\n");
        write("rs.conf", "real_server 10.0.1.1 80 {\n    weight 2\n");
        // The main file's '}' closes the included real_server, so the virtual_server is the block left open.
        assertEquals(main + ":5:2: expected '}' to close the virtual_server block opened at " + main + ":1:28, " +
            "found end of file", assertThrows(ConfigException.class, () -> KeepalivedConfig.parse(main)).getMessage());
    }

    @Test
    void unreadableMainFileIsAnErrorForTheFileAsAWhole()
    {
        final Path missing = dir.resolve("absent.conf");
        final ConfigException ex = assertThrows(ConfigException.class, () -> KeepalivedConfig.parse(missing));
        assertEquals(missing + ": cannot read the file: NoSuchFileException: " + missing, ex.getMessage());
        assertEquals(0, ex.line());
    }

    @Test
    void bytesThatAreNotUtf8InCommentsDoNotStopTheRead() throws IOException, ConfigException
    {
        final Path main = dir.resolve("latin1.conf");
        final byte[] comment = "! r\u00e9seau de production\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        final byte[] rest = (SERVICE_HEAD + "    real_server 10.0.1.1 80\n}\n").getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] all = new byte[comment.length + rest.length];
        System.arraycopy(comment, 0, all, 0, comment.length);
        System.arraycopy(rest, 0, all, comment.length, rest.length);
        Files.write(main, all);

        assertEquals(1, KeepalivedConfig.parse(main).services().size());
    }

    private static DirectorConfig assertParses(final Path file)
    {
        try
        {
            return KeepalivedConfig.parse(file);
        }
        catch (final ConfigException ex)
        {
            throw new AssertionError("expected " + file + " to be read, got: " + ex.getMessage(), ex);
        }
    }

    private Path write(final String relative, final String text) throws IOException
    {
        final Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }
}
