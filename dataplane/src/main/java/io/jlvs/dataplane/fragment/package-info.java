/**
 * IP fragments to a VIP: the first fragment is scheduled by its ports, later ones (which carry none) follow it to the
 * same real server through a small bounded table keyed on (source, destination, protocol, IP ID); fragments that
 * overtake the first are held briefly in preallocated memory or dropped and counted, never sent to a random server.
 * Owned by the forwarding thread; nothing here allocates, locks or throws per packet.
 */
package io.jlvs.dataplane.fragment;
