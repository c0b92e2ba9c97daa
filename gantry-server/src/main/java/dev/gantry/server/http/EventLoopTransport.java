package dev.gantry.server.http;

import dev.gantry.config.GatewayConfig.NetworkTransport;
import io.vertx.core.transport.Transport;

/**
 * The transport the event loops run on, from {@code server.transport}.
 *
 * <p>{@code auto} prefers io_uring: each turn of a loop hands the kernel its reads and writes in one
 * system call instead of one call each, and on a virtual machine every entry into the kernel is
 * dear. Measured with {@code bench/run --baseline} (two gateways on one simulator, rounds
 * alternating, both orders): 9-12 % more requests per second at saturation than epoll, on
 * 14-18 % less CPU per request. Vert.x's own default prefers epoll, hence the choice made here.
 */
public final class EventLoopTransport {
    private EventLoopTransport() {}

    /** @throws IllegalStateException if the transport asked for by name cannot run on this machine */
    public static Transport pick(NetworkTransport setting) {
        return switch (setting) {
            case AUTO -> Transport.IO_URING.available() ? Transport.IO_URING
                    : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
            case IO_URING -> required(Transport.IO_URING, setting);
            case EPOLL -> required(Transport.EPOLL, setting);
            case NIO -> Transport.NIO;
        };
    }

    private static Transport required(Transport transport, NetworkTransport setting) {
        if (transport.available()) return transport;
        Throwable cause = transport.unavailabilityCause();
        throw new IllegalStateException("server.transport: " + setting.configName() + " cannot run on this machine ("
                + (cause == null ? "not available" : cause.getMessage()) + "); use 'auto' to fall back");
    }
}
