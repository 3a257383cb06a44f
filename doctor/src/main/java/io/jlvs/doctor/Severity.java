package io.jlvs.doctor;

/** How bad a finding is: OK (as it should be), WARN (works, but worth knowing), FAIL (traffic breaks). */
public enum Severity
{
    OK,
    WARN,
    FAIL
}
