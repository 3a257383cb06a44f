/**
 * {@code bin/jlvs doctor}: read-only checks of a director or of a DR/TUN real server, each one line in plain words
 * with the command that fixes it.
 * <p>
 * {@link io.jlvs.doctor.Doctor#diagnose} runs the checks of a {@link io.jlvs.doctor.Role} against a
 * {@link io.jlvs.doctor.HostView} (what the host says: sysctls, {@code ip} output, firewall rules) and returns a
 * {@link io.jlvs.doctor.Diagnosis}; {@link io.jlvs.doctor.DiagnosisRenderer} prints it as text or JSON.
 * {@link io.jlvs.doctor.LocalHostView} reads the host it runs on and never changes it; tests use canned text.
 */
package io.jlvs.doctor;
