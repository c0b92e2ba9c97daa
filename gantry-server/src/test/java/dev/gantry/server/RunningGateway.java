package dev.gantry.server;

/**
 * {@link GatewayFixture} for tests in other packages (the CLI's), which cannot see the
 * package-private fixture: a real gateway on a random loopback port, its address and its keys.
 */
public final class RunningGateway implements AutoCloseable {
    private final GatewayFixture fixture;

    private RunningGateway(GatewayFixture fixture) {
        this.fixture = fixture;
    }

    public static RunningGateway start() {
        return new RunningGateway(GatewayFixture.start());
    }

    /** The gateway's address, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return fixture.url("");
    }

    /** The bootstrap owner's key. */
    public String adminKey() {
        return GatewayFixture.ADMIN_KEY;
    }

    /** A key with the member role, which may not use the admin API. */
    public String memberKey() {
        return fixture.memberKey;
    }

    @Override
    public void close() {
        fixture.close();
    }
}
