package io.jlvs.cli.control;

import java.io.IOException;
import java.nio.file.Path;

/** Another process answers on the control socket path: a second director must not take it over. */
public final class ControlSocketInUseException extends IOException
{
    private static final long serialVersionUID = 1L;

    public ControlSocketInUseException(final Path path)
    {
        super("another process is serving the control socket " + path +
            " (a jlvs already running?); stop it or choose another --control path");
    }
}
