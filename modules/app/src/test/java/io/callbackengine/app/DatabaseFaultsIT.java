package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.FaultLoad.Answer;
import io.callbackengine.app.FaultLoad.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 6, database faults: the engine under load (~100 events/s published one by one, profile reads, readiness
 * checks) while its database goes away, through a {@link DatabaseProxy} so the PostgreSQL other tests share is never
 * stopped. During the fault the API answers 503 in the envelope, quickly, and never 500 or silence; afterwards the
 * engine recovers by itself; every acknowledged event is delivered.
 *
 * <p>The engine is the packaged jar in a process of its own ({@link EngineProcess}): its pool, dispatcher and
 * LISTEN connection recover exactly as in production, its log can be read for 500s and blocked threads, and the load
 * generator's event loops do not share its JVM. Deadlines are tightened so a scenario takes seconds: a request is
 * answered 503 after 1 s, a silent database connection is dropped after 2 s. The dispatcher's backstop poll is set
 * to 5 s so that quick deliveries after a fault prove its LISTEN connection came back.
 *
 * <p>{@code -Dfaults.restart-postgres=true} (scripts/db-faults.sh) adds a real immediate-mode restart of the local
 * PostgreSQL cluster: never in the ordinary build, where other tests use that server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultsIT {

  private static final System.Logger LOG = System.getLogger(DatabaseFaultsIT.class.getName());
  private static final Duration FAULT = Duration.ofSeconds(5);
  /** Every answer, during a fault too, comes within this (the engine's deadline is 1 s; the rest is CI noise). */
  private static final long ANSWER_BOUND_MS = 2_000;
  /** After the fault ends, the engine accepts events again within this. */
  private static final long RECOVERY_BOUND_MS = 10_000;
  private static final Path FIGURES = Path.of("target", "database-faults.txt");

  private Vertx vertx;
  private DatabaseProxy proxy;
  private Receiver receiver;
  private EngineProcess engine;
  private String schema;
  private String applicationName;
  private String sid;
  private String apiKey;
  private String profileId;

  @BeforeAll
  void startEngineBehindProxy() throws IOException {
    vertx = Vertx.vertx();
    PgConnectOptions database = PgConnectOptions.fromUri(TestEngine.DATABASE_URL);
    proxy = DatabaseProxy.start(vertx, database.getHost(), database.getPort());
    receiver = Receiver.start();
    schema = TestEngine.freshSchema(DatabaseFaultsIT.class);
    applicationName = "callback-engine/" + schema;
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_DATABASE_URL", proxy.url(TestEngine.DATABASE_URL));
    env.put("CALLBACK_DATABASE_POOL_SIZE", "8");
    env.put("CALLBACK_HTTP_REQUEST_TIMEOUT", "1s");
    env.put("CALLBACK_DATABASE_POOL_WAIT", "1s");
    env.put("CALLBACK_DATABASE_SOCKET_TIMEOUT", "2s");
    env.put("CALLBACK_DISPATCH_POLL_INTERVAL", "5s");
    engine = EngineProcess.start(env, "database-faults");
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(engine.port));
    JsonObject account = TestEngine.await(client.post("/admin/accounts")
        .putHeader("authorization", "Bearer " + TestEngine.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "Faults"))).bodyAsJsonObject().getJsonObject("data");
    sid = account.getString("sid");
    apiKey = account.getString("api_key");
    profileId = TestEngine.await(client.post("/v1/" + sid + "/callback/profiles").putHeader("api-key", apiKey)
        .sendJsonObject(ProfileApiIT.minimal("Fault target").put("url", receiver.url("/faults"))
            .put("channel", "sms").put("events", "SMS-sent"))).bodyAsJsonObject().getJsonObject("data")
        .getString("profile_id");
    client.close();
    Files.deleteIfExists(FIGURES);
    // A cold engine (JIT, pool) on a busy machine misses the 1 s deadline at first: warm it up under the same load.
    FaultLoad warmUp = new FaultLoad(vertx, engine.port, sid, apiKey, profileId, "warm-up").start();
    awaitSteady(warmUp);
    TestEngine.await(warmUp.stop());
  }

  /** Waits until the last 100 publishes were all acknowledged within 200 ms: the engine keeps up with the load. */
  private static void awaitSteady(FaultLoad load) {
    await("the engine keeps up with the load").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          List<Answer> publishes = load.answers(a -> a.kind() == Kind.PUBLISH);
          return publishes.size() >= 100 && publishes.subList(publishes.size() - 100, publishes.size()).stream()
              .allMatch(a -> a.status() == 202 && a.tookMs() <= 200);
        });
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (engine != null) {
        assertThat(engine.terminate(Duration.ofSeconds(20))).isZero();
        String log = Files.readString(engine.log);
        assertThat(log).as("no request ended in a 500").doesNotContain("Unexpected failure");
        assertThat(log).as("no Vert.x thread was blocked").doesNotContain("has been blocked");
      }
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (receiver != null) {
        receiver.close();
      }
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
      TestEngine.await(vertx.close());
    }
  }

  @Test
  @Order(1)
  void databaseDownAnswers503QuicklyRecoversAndLosesNothing() {
    Outcome outcome = underLoad("cut", proxy::cut, () -> TestEngine.await(vertx.timer(FAULT.toMillis())),
        proxy::restore);
    outcome.assertFaultSeenAndHandled();
  }

  @Test
  @Order(2)
  void silentDatabaseStillAnswersWithinTheDeadlineRecoversAndLosesNothing() {
    int abandonedBefore = proxy.heldConnectionsClosedByClient();
    Outcome outcome = underLoad("blackhole", proxy::blackhole, () -> TestEngine.await(vertx.timer(FAULT.toMillis())),
        proxy::restore);
    outcome.assertFaultSeenAndHandled();
    assertThat(proxy.heldConnectionsClosedByClient() - abandonedBefore)
        .as("the engine gave up on connections that went silent").isPositive();
  }

  @Test
  @Order(3)
  void terminatedBackendsAreReplacedWithoutLosingAnything() {
    int[] terminated = new int[1];
    Outcome outcome = underLoad("terminate", () -> { }, () -> {
      for (int round = 0; round < 4; round++) {
        TestEngine.await(vertx.timer(1_200));
        terminated[0] += terminateEngineBackends();
      }
    }, () -> { });
    outcome.report("backends terminated: " + terminated[0]);
    assertThat(terminated[0]).as("backends terminated").isGreaterThanOrEqualTo(4);
    outcome.assertHandled();
  }

  @Test
  @Order(4)
  @EnabledIfSystemProperty(named = "faults.restart-postgres", matches = "true")
  void postgresRestartedInImmediateModeRecoversAndLosesNothing() {
    String version = postgresVersion();
    Outcome outcome = underLoad("postgres-restart", () -> pgCtl(version, "stop", "-m", "immediate"),
        () -> TestEngine.await(vertx.timer(3_000)), () -> pgCtl(version, "start"));
    outcome.assertFaultSeenAndHandled();
  }

  /**
   * Runs the load, then {@code fault}, {@code during} (which waits out the fault), {@code restore}; waits until a
   * publish sent after the restore is acknowledged, runs a second more, stops the load and waits until every
   * acknowledged event reached the receiver.
   */
  private Outcome underLoad(String name, Runnable fault, Runnable during, Runnable restore) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> TestEngine.await(WebClient.create(vertx).get(engine.port, "127.0.0.1", "/health/ready").send())
            .statusCode() == 200);
    FaultLoad load = new FaultLoad(vertx, engine.port, sid, apiKey, profileId, name).start();
    awaitSteady(load);
    long steadyAt = load.now();
    long faultAt = load.now();
    long restoredAt;
    long restoredAtWall;
    try {
      fault.run();
      during.run();
    } finally {
      restoredAt = load.now();
      restoredAtWall = System.currentTimeMillis();
      restore.run();
    }
    await("a publish sent after the fault is acknowledged").atMost(Duration.ofMillis(RECOVERY_BOUND_MS + 5_000))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !load.answers(a -> a.kind() == Kind.PUBLISH && a.sentAt() >= restoredAt && a.status() == 202)
            .isEmpty());
    long recoveredAt = load.answers(a -> a.kind() == Kind.PUBLISH && a.sentAt() >= restoredAt && a.status() == 202)
        .stream().mapToLong(Answer::answeredAt).min().orElseThrow();
    TestEngine.await(vertx.timer(1_000));
    TestEngine.await(load.stop());

    List<Answer> answers = load.answers();
    Set<String> acknowledged = answers.stream().filter(a -> a.eventId() != null).map(Answer::eventId)
        .collect(Collectors.toSet());
    List<String> deliveries = deliveriesOf(acknowledged);
    awaitQuietly(Duration.ofSeconds(60), () -> arrivedIds().containsAll(deliveries));
    awaitQuietly(Duration.ofSeconds(20), () -> listenersStartedAfter(restoredAtWall - 200) >= 1);
    long stored = Long.parseLong(TestEngine.sqlIn(schema,
        "select count(*) from events where data::jsonb->>'scenario' = '" + name + "'").get(0));
    return new Outcome(name, answers, steadyAt, faultAt, restoredAt, recoveredAt, acknowledged.size(), deliveries,
        stored, listenersStartedAfter(restoredAtWall - 200));
  }

  /** What one scenario measured, and the checks every scenario shares. */
  private final class Outcome {
    final String name;
    final List<Answer> answers;
    final long steadyAt;
    final long faultAt;
    final long restoredAt;
    final long recoveredAt;
    final int acknowledged;
    final List<String> deliveries;
    final long stored;
    final long listeners;

    Outcome(String name, List<Answer> answers, long steadyAt, long faultAt, long restoredAt, long recoveredAt, int acknowledged,
        List<String> deliveries, long stored, long listeners) {
      this.name = name;
      this.answers = answers;
      this.steadyAt = steadyAt;
      this.faultAt = faultAt;
      this.restoredAt = restoredAt;
      this.recoveredAt = recoveredAt;
      this.acknowledged = acknowledged;
      this.deliveries = deliveries;
      this.stored = stored;
      this.listeners = listeners;
    }

    Stream<Answer> during() {
      return answers.stream().filter(a -> a.sentAt() >= faultAt && a.sentAt() < recoveredAt);
    }

    long maxDuringMs() {
      return during().mapToLong(Answer::tookMs).max().orElse(0);
    }

    /** The fault really happened (503s, readiness DOWN) and was handled. */
    void assertFaultSeenAndHandled() {
      report("");
      assertThat(during().filter(a -> a.kind() == Kind.PUBLISH && a.status() == 503).count())
          .as("publishes refused with 503 during the fault").isPositive();
      assertThat(during().filter(a -> a.kind() == Kind.PROFILE && a.status() == 503).count())
          .as("profile reads refused with 503 during the fault").isPositive();
      List<Answer> down = during().filter(a -> a.kind() == Kind.READY && a.status() == 503).toList();
      assertThat(down).as("readiness 503 during the fault").isNotEmpty();
      assertThat(down.stream().map(a -> a.body().getJsonObject("checks").getString("database")).distinct().toList())
          .as("readiness names the database").containsExactly("DOWN");
      assertHandled();
    }

    void assertHandled() {
      assertThat(offenders(a -> a.status() == -1)).as("requests never answered (hang or dropped connection)").isEmpty();
      assertThat(offenders(a -> a.status() >= 500 && a.status() != 503)).as("server errors other than 503").isEmpty();
      assertThat(offenders(a -> a.status() == 503 && a.kind() != Kind.READY && !(a.body().getString("code", "")
          .equals("SRV503") && a.body().getInteger("status", 0) == 503 && !a.body().getJsonArray("error").isEmpty())))
          .as("API 503s not in the envelope").isEmpty();
      assertThat(offenders(a -> outsideTheFault(a) && a.status() >= 300 && !missedDeadline(a)))
          .as("failures before the fault or a second after recovery").isEmpty();
      assertThat(answers.stream().filter(a -> outsideTheFault(a) && missedDeadline(a)).count())
          .as("requests that missed the 1 s deadline outside the fault (CPU contention): rare")
          .isLessThanOrEqualTo(answers.stream().filter(this::outsideTheFault).count() / 50);
      assertThat(offenders(a -> a.tookMs() > ANSWER_BOUND_MS)).as("answers slower than " + ANSWER_BOUND_MS + " ms")
          .isEmpty();
      assertThat(recoveredAt - restoredAt).as("recovery time").isLessThanOrEqualTo(RECOVERY_BOUND_MS);
      assertThat(deliveries).as("a delivery for every acknowledged event").hasSize(acknowledged);
      assertThat(arrivedIds()).as("every acknowledged event delivered").containsAll(deliveries);
      assertThat(listeners).as("the dispatcher listens for new deliveries again").isPositive();
    }

    /**
     * Sent once the engine kept up with the load and answered before the fault began, or sent a second after it
     * recovered. On a machine shared with other builds a request can miss the deadline there without any fault: such
     * 503s are counted, reported and must stay rare; any other failure there fails the test.
     */
    boolean outsideTheFault(Answer a) {
      return a.sentAt() >= steadyAt && a.answeredAt() < faultAt || a.sentAt() >= recoveredAt + 1_000;
    }

    /** The API's 503 for a request past its deadline (rather than for a database it could not reach). */
    boolean missedDeadline(Answer a) {
      return a.status() == 503 && a.kind() != Kind.READY
          && a.body().getJsonArray("error", new io.vertx.core.json.JsonArray()).encode().contains("in time");
    }

    /** The answers that match {@code bad}, the first 10 of them, as short lines. */
    private List<String> offenders(java.util.function.Predicate<Answer> bad) {
      List<Answer> all = answers.stream().filter(bad).toList();
      List<String> lines = new java.util.ArrayList<>(all.stream().limit(10).map(Answer::toString).toList());
      if (all.size() > 10) {
        lines.add("... " + (all.size() - 10) + " more");
      }
      return lines;
    }

    void report(String extra) {
      Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Answer::status,
          java.util.TreeMap::new, Collectors.counting()));
      long publishes = answers.stream().filter(a -> a.kind() == Kind.PUBLISH).count();
      String line = String.format(java.util.Locale.ROOT,
          "%s: fault %d ms; max answer during fault %d ms (max overall %d ms); recovered %d ms after the fault ended;"
              + " publishes %d, acknowledged %d, delivered %d, lost %d, stored without acknowledgement %d;"
              + " answers by status %s%s",
          name, restoredAt - faultAt, maxDuringMs(), answers.stream().mapToLong(Answer::tookMs).max().orElse(0),
          recoveredAt - restoredAt, publishes, acknowledged, deliveredCount(), acknowledged - deliveredCount(),
          stored - acknowledged, statuses, (extra.isEmpty() ? "" : "; " + extra) + "; 503s outside the fault "
              + answers.stream().filter(a -> outsideTheFault(a) && a.status() == 503).count()
              + "; listeners after " + listeners);
      LOG.log(System.Logger.Level.INFO, line);
      try {
        Files.write(Path.of("target", "database-faults-" + name + ".csv"), Stream.concat(
            Stream.of("sent_ms,kind,status,took_ms  (fault " + faultAt + "-" + restoredAt + ", recovered " + recoveredAt
                + ")"),
            answers.stream().sorted(Comparator.comparingLong(Answer::sentAt))
                .map(a -> a.sentAt() + "," + a.kind() + "," + a.status() + "," + a.tookMs())).toList());
        Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private long deliveredCount() {
      Set<String> arrived = arrivedIds();
      return deliveries.stream().filter(arrived::contains).count();
    }
  }

  /** Waits until {@code condition} holds or {@code atMost} passes; the caller asserts on what it finds then. */
  private static void awaitQuietly(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "condition not met within " + atMost);
    }
  }

  /** Terminates every backend of this test's engine (and only those), as an operator with psql would. */
  private int terminateEngineBackends() {
    return Integer.parseInt(TestEngine.sqlIn(schema, "select count(pg_terminate_backend(pid)) from pg_stat_activity"
        + " where application_name = '" + applicationName + "' and pid <> pg_backend_pid()").get(0));
  }

  /** Backends of this engine listening for wake-ups that connected after {@code epochMillis}. */
  private long listenersStartedAfter(long epochMillis) {
    return Long.parseLong(TestEngine.sqlIn(schema, "select count(*) from pg_stat_activity where application_name = '"
        + applicationName + "' and query like 'LISTEN%' and backend_start > to_timestamp(" + epochMillis
        + " / 1000.0)").get(0));
  }

  private List<String> deliveriesOf(Set<String> eventIds) {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    return TestEngine.sqlIn(schema, "select delivery_id from deliveries where event_id = any(array["
        + eventIds.stream().sorted(Comparator.naturalOrder()).map(id -> "'" + id + "'").collect(Collectors.joining(","))
        + "])");
  }

  private Set<String> arrivedIds() {
    Set<String> ids = new HashSet<>();
    receiver.arrivals.forEach(a -> ids.add(a.header("webhook-id")));
    return ids;
  }

  private static String postgresVersion() {
    try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions.map(p -> p.getFileName().toString())
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.replaceAll("\\D.*", "")))).orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL cluster under /etc/postgresql", e);
    }
  }

  private static void pgCtl(String version, String... action) {
    List<String> command = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version,
        "main"));
    command.addAll(List.of(action));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
