package dev.gantry.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.catalog.Model;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.GatewayConfig;
import dev.gantry.config.GatewayConfig.UsageDurability;
import dev.gantry.protocol.Dialect;
import dev.gantry.protocol.Endpoint;
import dev.gantry.server.ops.GatewayMetrics;
import dev.gantry.server.policy.Grant;
import dev.gantry.store.Database;
import dev.gantry.store.UsageRepository;
import dev.gantry.store.spool.UsageSpool;
import dev.gantry.usage.Outcome;
import dev.gantry.usage.ResponseSample;
import dev.gantry.usage.SelfHostedCost;
import dev.gantry.usage.TokenEstimator;
import dev.gantry.usage.UsageMeter;
import dev.gantry.usage.UsageRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an answer's last byte waits for in each durability, seen from the spool file: the record
 * must be there, in the file the next start replays, before the answer may end.
 */
class UsageRecorderTest {
    private static final byte[] REPORTED = """
            {"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},
            "finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"""
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNREPORTED = """
            {"id":"c2","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hello there"},
            "finish_reason":"stop"}]}""".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final Model model = ConfigLoader.parse("""
            providers: [ { name: p, type: openai, base_url: "http://127.0.0.1:9/v1" } ]
            models: [ { name: m, deployments: [ { provider: p, model: x } ], price: { input_per_mtok: 1, output_per_mtok: 2 } } ]
            """, "t.yaml", name -> null).catalog().find("m").orElseThrow();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
        vertx.close().await();
    }

    private UsageRecorder recorder(UsageDurability durability) {
        var db = Database.open(new GatewayConfig.DatabaseSettings("jdbc:h2:file:" + dir.resolve("db/gantry"), null, null, 2));
        toClose.add(db);
        var settings = new GatewayConfig.UsageSettings(100, Duration.ofMillis(50), 1_000, durability, dir.resolve("spool"),
                Duration.ofDays(30));
        var recorder = new UsageRecorder(new UsageRepository(db.dataSource()), new UsageMeter(new TokenEstimator()),
                new SelfHostedCost(), new GatewayMetrics(), settings, UsageSpool.open(settings.spoolDir()));
        toClose.add(recorder);
        return recorder;
    }

    private UsageEvent event(String id, byte[] body) {
        return new UsageEvent(id, Instant.parse("2026-12-06T12:00:00Z"), "key-1", null, null, Endpoint.CHAT_COMPLETIONS, model,
                "m", model.deployments().getFirst(), 200, Outcome.OK, 2_000_000, 1_000_000, false, false, Dialect.OPENAI,
                "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8),
                new ResponseSample(body, body, true, body.length), Grant.NONE, null);
    }

    private String spoolText() throws IOException {
        var text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("spool-")).sorted().toList()) {
                text.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).replace("\0", ""));
            }
        }
        return text.toString();
    }

    /** Runs record on an event loop, as the proxy does; completes with the thread the answer ended on. */
    private CompletableFuture<Thread> recordOnEventLoop(UsageRecorder recorder, UsageEvent event) {
        var ended = new CompletableFuture<Thread>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> recorder.record(event, context, () -> ended.complete(Thread.currentThread())));
        return ended;
    }

    @Test
    void inWriteDurabilityAReportedAnswerEndsOnItsEventLoopAtOnceWithItsRecordInTheSpoolFile() throws Exception {
        UsageRecorder recorder = recorder(UsageDurability.WRITE); // its threads not started: nothing else can spool

        Thread endedOn = recordOnEventLoop(recorder, event("req-reported", REPORTED)).get(5, TimeUnit.SECONDS);

        assertThat(endedOn.getName()).startsWith("vert.x-eventloop-thread");
        assertThat(spoolText()).contains("\"id\":\"req-reported\"").contains("\"in\":12,\"out\":3");
    }

    @Test
    void inWriteDurabilityAnAnswerWhoseUsageMustBeEstimatedWaitsForTheSpoolThread() throws Exception {
        // no tokenizer on an event loop: the spool thread measures it
        endsOnlyOnceTheSpoolThreadHasSpooledIt(recorder(UsageDurability.WRITE), event("req-estimated", UNREPORTED));

        assertThat(spoolText()).contains("\"est\":true");
    }

    @Test
    void inFsyncDurabilityEveryAnswerWaitsForTheSpoolThread() throws Exception {
        endsOnlyOnceTheSpoolThreadHasSpooledIt(recorder(UsageDurability.FSYNC), event("req-synced", REPORTED));
    }

    /** Records on an event loop of a recorder not started: the answer must wait until its threads run. */
    private void endsOnlyOnceTheSpoolThreadHasSpooledIt(UsageRecorder recorder, UsageEvent event) throws Exception {
        CompletableFuture<Thread> ended = recordOnEventLoop(recorder, event);
        Thread.sleep(200);
        assertThat(ended).as("ended before the spool thread ran").isNotDone();
        assertThat(spoolText()).doesNotContain(event.requestId());

        recorder.start();

        assertThat(ended.get(5, TimeUnit.SECONDS).getName()).startsWith("vert.x-eventloop-thread");
        assertThat(spoolText()).contains("\"id\":\"" + event.requestId() + "\"");
    }

    @Test
    void recordsSpooledOnEventLoopsAreStoredAndTheListenersHearOfThem() throws Exception {
        UsageRecorder recorder = recorder(UsageDurability.WRITE);
        var heard = new CompletableFuture<UsageRecord>();
        recorder.onCompleted((event, record) -> heard.complete(record));
        recorder.start();

        recordOnEventLoop(recorder, event("req-stored", REPORTED)).get(5, TimeUnit.SECONDS);

        UsageRecord record = heard.get(5, TimeUnit.SECONDS);
        assertThat(record.requestId()).isEqualTo("req-stored");
        assertThat(record.usage().inputTokens()).isEqualTo(12);
        assertThat(record.costNanos()).as("12 in at 1 USD/Mtok + 3 out at 2 USD/Mtok").isEqualTo(18_000);
    }
}
