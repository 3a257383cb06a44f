package io.jlvs.doctor;

import java.util.Locale;

/** How the director hands a real server its packets: DR (MAC rewrite on one L2 segment) or TUN (IPIP). */
public enum Mode
{
    DR("dr"),
    TUN("tun");

    private final String label;

    Mode(final String label)
    {
        this.label = label;
    }

    /** The name on the command line and in JSON: {@code dr}, {@code tun}. */
    public String label()
    {
        return label;
    }

    /** Parses {@link #label()} (case-insensitive); throws {@link IllegalArgumentException} naming the choices. */
    public static Mode parse(final String text)
    {
        for (final Mode mode : values())
        {
            if (mode.label.equals(text.toLowerCase(Locale.ROOT)))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be dr or tun, mode=" + text);
    }
}
