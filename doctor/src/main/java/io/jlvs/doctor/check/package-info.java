/**
 * The doctor's checks, one class per question ({@link io.jlvs.doctor.check.ArpSysctlCheck}: "does this host answer
 * ARP for the VIP?"), each reading through a shared {@link io.jlvs.doctor.check.CheckContext} and adding findings with
 * a stable id. {@link io.jlvs.doctor.check.Checks} lists which run for a director and which for a real server.
 */
package io.jlvs.doctor.check;
