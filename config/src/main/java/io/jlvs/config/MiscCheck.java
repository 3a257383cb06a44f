package io.jlvs.config;

import java.util.List;

/**
 * {@code MISC_CHECK}: runs a program; exit status 0 passes, 1 fails and, with {@code misc_dynamic}, 2..255 passes and
 * sets the server's weight to the status minus 2 (keepalived's rule).
 *
 * @param path      {@code misc_path} as written (program and arguments).
 * @param command   the same split into the program and its arguments (blanks separate them, single quotes group).
 * @param timeoutMs {@code misc_timeout}; when absent keepalived uses the delay loop.
 * @param user      {@code user} to run it as, or null for the default.
 */
public record MiscCheck(
    String file,
    int line,
    CheckTiming timing,
    String path,
    List<String> command,
    long timeoutMs,
    boolean dynamic,
    String user) implements HealthCheckConfig
{
    public MiscCheck
    {
        command = List.copyOf(command);
    }
}
