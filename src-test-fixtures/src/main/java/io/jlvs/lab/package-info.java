/**
 * The lab: hosts built from network namespaces, veth pairs and a bridge, with real servers and clients, used by the
 * integration tests and by {@code bin/jlvs demo}. Everything it builds has a per-run unique name and is torn down,
 * on failure too; it uses only 198.18.0.0/15 addresses, inside its own namespaces.
 */
package io.jlvs.lab;
