package io.jlvs.config;

/**
 * How a frame reaches its real server ({@code lb_kind}/{@code lvs_method}). jlvs implements only the two methods in
 * which the real server answers the client directly; NAT is rejected when the file is read.
 */
public enum ForwardingMethod
{
    /** Direct routing: only the destination MAC changes (ipvsadm {@code -g}, "Route"). */
    DR,
    /** IP-in-IP tunnelling to the real server (ipvsadm {@code -i}, "Tunnel"). */
    TUN
}
