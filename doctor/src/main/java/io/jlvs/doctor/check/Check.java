package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;

import java.util.List;

/** One question the doctor asks a host; it adds one or more findings (an OK one too, so the operator sees it ran). */
@FunctionalInterface
public interface Check
{
    void run(CheckContext context, List<Finding> findings);
}
