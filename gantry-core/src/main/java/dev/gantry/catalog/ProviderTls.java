package dev.gantry.catalog;

/**
 * How the gateway speaks TLS to an https provider beyond the JDK's defaults: the certificate
 * authorities the server's certificate must chain to instead of the JDK's (a company's own), and the
 * certificate the gateway shows a server that asks for one (mutual TLS). The files' text is read
 * when the configuration is loaded, so a reload after they are replaced uses the new ones, and a
 * file that later goes missing does not take the provider down.
 *
 * @param caPem          PEM certificates, or null for the JDK's trust store
 * @param certificatePem the gateway's certificate (chain) as PEM, or null for none
 * @param keyPem         its private key as PEM, empty with no certificate; never logged
 */
public record ProviderTls(String caPem, String certificatePem, Secret keyPem) {}
