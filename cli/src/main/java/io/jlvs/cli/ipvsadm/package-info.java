/**
 * ipvsadm's language for a running jlvs: its command lines ({@link io.jlvs.cli.ipvsadm.IpvsadmCommand}, with
 * ipvsadm's flag letters, defaults and error messages), the edits they make to the services a director runs
 * ({@link io.jlvs.cli.ipvsadm.ServiceEdits}), the {@code -S -n} rule format ({@link io.jlvs.cli.ipvsadm.SaveFormat})
 * and {@code -R}, all or nothing ({@link io.jlvs.cli.ipvsadm.Restore}). Control plane only.
 */
package io.jlvs.cli.ipvsadm;
