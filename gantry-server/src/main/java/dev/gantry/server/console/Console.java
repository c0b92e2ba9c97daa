package dev.gantry.server.console;

import dev.gantry.server.auth.Authenticator;
import dev.gantry.server.auth.ConsoleSessions;
import dev.gantry.server.identity.Directory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /ui/}, every page in one list. Pages are rendered on the server
 * from the admin API's answers, fetched as the logged-in visitor ({@link AdminApiClient}); htmx
 * and uPlot, served from their WebJars, make them live and draw the charts. Built once; mounted
 * on each event loop's router.
 */
public final class Console {
    private static final long MAX_FORM_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Console.class);

    private final LoginPage login;
    private final ConsoleGuard guard;
    private final DashboardPages dashboard;
    private final KeysPages keys;
    private final TeamsPages teams;
    private final UsersPages users;
    private final OperationsPages operations;

    /**
     * @param apiHost where this process's admin API answers on loopback
     * @param apiPort its port, known once the servers listen
     */
    public Console(Vertx vertx, ConsoleSessions sessions, Authenticator authenticator, Directory directory, String apiHost,
                   IntSupplier apiPort) {
        var api = new AdminApiClient(vertx, apiHost, apiPort);
        this.login = new LoginPage(sessions, authenticator, directory);
        this.guard = new ConsoleGuard(sessions, api);
        this.dashboard = new DashboardPages(api);
        this.keys = new KeysPages(api);
        this.teams = new TeamsPages(api);
        this.users = new UsersPages(api);
        this.operations = new OperationsPages(api);
    }

    /** A page that broke: logged with its cause, shown as a page that says so, never as a stack trace. */
    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended()) return;
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (status == 500) log.error("console page {} failed", ctx.request().path(), ctx.failure());
        ctx.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8")
                .end(status == 413 ? "That form is too large." : "This page failed (" + status + "). The gateway's log says why.");
    }

    public void mount(Router router) {
        router.get("/ui").handler(ctx -> { // Vert.x matches /ui/ here too
            if (ctx.request().path().equals("/ui")) Pages.redirect(ctx, "/ui/");
            else ctx.next();
        });
        router.route("/ui/assets/*").handler(StaticHandler.create("console").setCachingEnabled(true).setMaxAgeSeconds(3600));
        router.route("/ui/lib/*").handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86400));
        router.route("/ui/*").handler(BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES));
        router.route("/ui/*").failureHandler(Console::failed);
        router.get("/ui/login").handler(login::show);
        router.post("/ui/login").handler(login::submit);
        router.route("/ui/*").handler(guard);
        router.post("/ui/logout").handler(login::logout);

        router.get("/ui/").handler(dashboard::dashboard);
        router.get("/ui/savings").handler(dashboard::savings);
        router.get("/ui/requests").handler(dashboard::requests);
        router.get("/ui/requests/:id").handler(dashboard::request);
        router.get("/ui/connect").handler(keys::connect);

        router.get("/ui/keys").handler(keys::list);
        router.post("/ui/keys").handler(keys::create);
        router.get("/ui/keys/:id").handler(keys::show);
        router.post("/ui/keys/:id").handler(keys::update);
        router.post("/ui/keys/:id/rotate").handler(keys::rotate);
        router.post("/ui/keys/:id/revoke").handler(keys::revoke);

        router.get("/ui/teams").handler(teams::list);
        router.post("/ui/teams").handler(teams::create);
        router.post("/ui/org").handler(teams::updateOrg);
        router.get("/ui/teams/:id").handler(teams::show);
        router.post("/ui/teams/:id").handler(teams::update);
        router.post("/ui/teams/:id/members").handler(teams::putMember);
        router.post("/ui/teams/:id/members/:userId/remove").handler(teams::removeMember);

        router.get("/ui/users").handler(users::list);
        router.post("/ui/users").handler(users::create);
        router.get("/ui/users/:id").handler(users::show);
        router.post("/ui/users/:id").handler(users::update);

        router.get("/ui/models").handler(operations::models);
        router.get("/ui/prices").handler(operations::prices);
        router.post("/ui/prices").handler(operations::putPrice);
        router.get("/ui/audit").handler(operations::audit);
        router.post("/ui/audit/verify").handler(operations::verifyAudit);
    }
}
