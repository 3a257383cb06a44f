/**
 * The lab: hosts built from network namespaces, veth pairs and a bridge, with real servers and clients, used by the
 * integration tests and by {@code bin/jlvs demo}. Everything it builds has a per-run unique name and is torn down,
 * on failure too; it uses only 198.18.0.0/15 addresses, inside its own namespaces.
 * <p>
 * {@link io.jlvs.lab.Lab} builds and tears down a lab to a {@link io.jlvs.lab.LabSpec}, with the address plan in
 * {@link io.jlvs.lab.LabAddresses}; {@link io.jlvs.lab.ClientHost} and {@link io.jlvs.lab.KeepAliveClient} send
 * requests from inside a client's namespace; {@link io.jlvs.lab.NetworkNamespace} puts a thread (and the sockets it
 * opens, such as the director's) into a namespace; {@link io.jlvs.lab.LabRequirements} skips or fails lab tests
 * where the lab cannot run.
 */
package io.jlvs.lab;
