package dev.gantry.catalog;

import java.nio.file.Path;

/**
 * The certificates an https provider's server must chain to, in place of the JDK's trust store: a
 * company's own certificate authority in front of its model servers. {@code pem} is the file's text
 * as read when the configuration was loaded, so a reload after the file is replaced trusts the new
 * one, and a file that later goes missing does not take the provider down.
 */
public record CaCertificates(Path file, String pem) {}
