/**
 * Virtual services and real servers as the control plane asks for them ({@code *Spec}) and as the forwarding
 * thread reads them (an immutable {@link io.jlvs.dataplane.service.ServiceTable} published through one volatile field).
 */
package io.jlvs.dataplane.service;
