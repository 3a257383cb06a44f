/**
 * keepalived.conf, as operators already write it, read into an immutable model of virtual services, real servers and
 * health checks ({@link io.jlvs.config.KeepalivedConfig#parse(java.nio.file.Path)}).
 * <p>
 * Reading is done in three passes so that a bad file never yields a half model: the lexer turns each file into tokens
 * (expanding {@code include} globs in place, as keepalived does), the statement reader builds the tree of keyword
 * lines and {@code { }} blocks, and the interpreter turns the LVS sections into records, resolves the defaults that
 * keepalived inherits from virtual server to real server to checker, and validates the whole result before returning.
 */
package io.jlvs.config;
