package io.jlvs.doctor;

import io.jlvs.doctor.check.Check;
import io.jlvs.doctor.check.CheckContext;
import io.jlvs.doctor.check.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checks of a role against a host and collects their findings: what {@code bin/jlvs doctor} prints. It
 * only reads the host (through the {@link HostView}); the fixes are printed, never applied.
 */
public final class Doctor
{
    private Doctor()
    {
    }

    /**
     * Diagnoses one host.
     *
     * @throws IllegalArgumentException when the options cannot describe this role: a director needs its interface,
     *                                  a real server at least one VIP.
     */
    public static Diagnosis diagnose(final Role role, final DoctorOptions options, final HostView host)
    {
        if (role == Role.DIRECTOR && options.interfaceName().isEmpty())
        {
            throw new IllegalArgumentException("the director's doctor needs the interface jlvs serves (--interface)");
        }
        if (role == Role.REAL_SERVER && options.vips().isEmpty())
        {
            throw new IllegalArgumentException("the real server's doctor needs the VIP it serves (--vip)");
        }
        final CheckContext context = new CheckContext(role, options, host);
        final List<Finding> findings = new ArrayList<>();
        for (final Check check : Checks.forRole(role, options.mode()))
        {
            check.run(context, findings);
        }
        return new Diagnosis(role, findings);
    }
}
