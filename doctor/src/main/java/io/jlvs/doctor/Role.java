package io.jlvs.doctor;

import java.util.Locale;

/** Which host the doctor examines: the director running jlvs, or a real server behind it. */
public enum Role
{
    DIRECTOR("director"),
    REAL_SERVER("real-server");

    private final String label;

    Role(final String label)
    {
        this.label = label;
    }

    /** The name on the command line and in JSON: {@code director}, {@code real-server}. */
    public String label()
    {
        return label;
    }

    /** Parses {@link #label()} (case-insensitive); throws {@link IllegalArgumentException} naming the choices. */
    public static Role parse(final String text)
    {
        for (final Role role : values())
        {
            if (role.label.equals(text.toLowerCase(Locale.ROOT)))
            {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be director or real-server, role=" + text);
    }
}
