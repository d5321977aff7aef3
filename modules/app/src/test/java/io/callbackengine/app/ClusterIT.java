package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.api.event.EventBusIntake;
import io.callbackengine.app.ProducerProcess.Outcome;
import io.callbackengine.producer.EventPublisher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 with real processes on 127.0.0.1: engines and the example producer, each in its own JVM, clustered over
 * loopback TCP/IP (Hazelcast on free ports), one PostgreSQL schema. An engine is killed with SIGKILL under load and
 * restarted; a producer starts with no engine at all; and an engine with the cluster off loads no Hazelcast class.
 */
class ClusterIT {

  private static final System.Logger LOG = System.getLogger(ClusterIT.class.getName());
  private static final int EVENTS = 5000;

  private String schema;
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void setUp() {
    schema = TestEngine.freshSchema(ClusterIT.class);
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
    TestEngine.await(vertx.close());
  }

  @Test
  void everyAcknowledgedEventArrivesWhileOneOfTwoEnginesIsKilledAndRestarted() throws Exception {
    int[] hazelcast = {EngineProcess.freePort(), EngineProcess.freePort(), EngineProcess.freePort()};
    Map<String, String> first = clusterEnvironment(schema, hazelcast[0], hazelcast[1], hazelcast[2]);
    Map<String, String> second = clusterEnvironment(schema, hazelcast[1], hazelcast[0], hazelcast[2]);
    Receiver receiver = Receiver.start();
    EngineProcess two = null;
    EngineProcess restarted = null;
    try (EngineProcess one = EngineProcess.start(first, "cluster-engine-1")) {
      String sid = accountWithProfile(one, receiver);
      // The second engine starts while the producer joins and publishes to the first.
      CompletableFuture<EngineProcess> starting = CompletableFuture.supplyAsync(() -> {
        try {
          return EngineProcess.start(second, "cluster-engine-2");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try (ProducerProcess producer = ProducerProcess.start("cluster-producer", hazelcast[2],
          List.of("127.0.0.1:" + hazelcast[0], "127.0.0.1:" + hazelcast[1]),
          "--sid", sid, "--events", Integer.toString(EVENTS), "--rate", "100", "--timeout", "5s", "--attempts", "5",
          "--in-flight", "500")) {
        two = starting.get(90, TimeUnit.SECONDS);
        EngineProcess victim = two;
        await().atMost(Duration.ofSeconds(60)).until(() -> members(one) == 3 && acceptedBy(victim) > 0);
        long before = producer.count("accepted");
        LOG.log(Level.INFO, "cluster test: killing engine 2 (pid {0}) with SIGKILL after {1} events accepted",
            two.pid(), before);
        two.kill();
        restarted = EngineProcess.start(second, "cluster-engine-2-restarted");
        LOG.log(Level.INFO, "cluster test: engine 2 restarted, ready in {0} ms",
            restarted.startedIn.toMillis());

        assertThat(producer.awaitExit(Duration.ofSeconds(120))).as("producer exit code").isIn(0, 1);
        List<Outcome> outcomes = producer.outcomes();
        assertThat(outcomes).as("one reply or timeout per event").hasSize(EVENTS);
        assertThat(outcomes.stream().map(Outcome::id).distinct().count()).isEqualTo(EVENTS);
        assertThat(outcomes).noneMatch(o -> o.kind().equals("refused"));
        Set<String> acknowledged = outcomes.stream().filter(o -> o.kind().equals("accepted"))
            .map(Outcome::eventId).collect(Collectors.toSet());
        if (acceptedBy(restarted) == 0) {
          // On a loaded machine the restart (a cold JVM joining the cluster) can outlast the producer's run: a short
          // second run after it is ready shows the restarted engine serving the bus, waiting on that, not on luck.
          EngineProcess back = restarted;
          try (ProducerProcess more = ProducerProcess.start("cluster-producer-after-restart", EngineProcess.freePort(),
              List.of("127.0.0.1:" + hazelcast[0], "127.0.0.1:" + hazelcast[1]), "--sid", sid, "--events", "200",
              "--rate", "50", "--timeout", "5s", "--attempts", "5", "--in-flight", "50")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> acceptedBy(back) > 0 || !more.alive());
            more.awaitExit(Duration.ofSeconds(60));
          }
        }
        assertThat(acceptedBy(restarted)).as("events the restarted engine took over the bus").isPositive();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> arrivedEventIds(receiver).containsAll(acknowledged));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
            TestEngine.sqlIn(schema, "select count(*) from deliveries where status <> 'delivered'").get(0).equals("0"));
        List<String> arrivals = receiver.arrivals.stream().map(a -> a.body().toJsonObject().getString("event_id"))
            .toList();
        List<String> unanswered = outcomes.stream().filter(o -> o.kind().equals("unanswered"))
            .map(o -> "'" + o.id() + "'").toList();
        String storedAnyway = unanswered.isEmpty() ? "0" : TestEngine.sqlIn(schema,
            "select count(*) from events where producer_id in (" + String.join(",", unanswered) + ")").get(0);
        LOG.log(Level.INFO, "cluster test: {0} events published over the bus, {1} accepted ({2} after a retry, {3} "
                + "answered as duplicates), {4} unanswered ({5} of them stored all the same); {6} arrivals at the "
                + "receiver for {7} distinct events, {8} duplicates; engine 1 ready in {9} ms, engine 2 in {10} ms",
            EVENTS, acknowledged.size(), outcomes.stream().filter(o -> o.attempts() > 1 && o.kind().equals("accepted"))
                .count(), outcomes.stream().filter(Outcome::duplicate).count(), unanswered.size(), storedAnyway,
            arrivals.size(), new HashSet<>(arrivals).size(), arrivals.size() - new HashSet<>(arrivals).size(),
            one.startedIn.toMillis(), two.startedIn.toMillis());
        assertThat(Files.readString(one.log) + Files.readString(restarted.log)).doesNotContain("Unexpected failure");
        assertThat(restarted.terminate(Duration.ofSeconds(30))).isZero();
      }
    } finally {
      for (EngineProcess engine : new EngineProcess[] {two, restarted}) {
        if (engine != null) {
          engine.close();
        }
      }
      receiver.close();
    }
  }

  @Test
  void aProducerAloneGetsAnAnswerAtOnceAndAnEngineJoiningLaterServesIt() throws Exception {
    int engineHazelcast = EngineProcess.freePort();
    createAccount("lonely-producer");

    try (ProducerProcess alone = ProducerProcess.start("cluster-producer-alone", EngineProcess.freePort(),
        List.of("127.0.0.1:" + engineHazelcast), "--sid", "lonely-producer", "--events", "3", "--attempts", "3")) {
      assertThat(alone.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(alone.outcomes()).hasSize(3).allSatisfy(outcome -> {
        assertThat(outcome.kind()).isEqualTo("unanswered");
        assertThat(outcome.line()).endsWith("attempts=3 last=no engine in the cluster");
      });
    }

    int producerHazelcast = EngineProcess.freePort();
    try (ProducerProcess waiting = ProducerProcess.start("cluster-producer-waiting", producerHazelcast,
        List.of("127.0.0.1:" + engineHazelcast), "--sid", "lonely-producer", "--events", "10", "--rate", "5",
        "--attempts", "100")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> waiting.lines().stream().anyMatch(l -> l.startsWith("joined")));
      try (EngineProcess late = EngineProcess.start(clusterEnvironment(schema, engineHazelcast, producerHazelcast),
          "cluster-late-engine")) {
        assertThat(waiting.awaitExit(Duration.ofSeconds(60))).isZero();
        assertThat(waiting.outcomes()).hasSize(10).allSatisfy(outcome -> {
          assertThat(outcome.kind()).isEqualTo("accepted");
          assertThat(outcome.attempts()).as("attempts before the engine joined").isGreaterThan(1);
        });
        assertThat(acceptedBy(late)).isEqualTo(10);
      }
    }
  }

  @Test
  void anEngineWithTheClusterOffLoadsNoHazelcastClass() throws Exception {
    Path classes = Path.of("target", "cluster-off-classes.txt");
    Files.deleteIfExists(classes);
    try (EngineProcess off = EngineProcess.start(TestEngine.environment(schema), "cluster-off",
        List.of("-Xlog:class+load=info:file=" + classes))) {
      JsonObject ready = ready(off);
      assertThat(ready.getJsonObject("checks").getValue("cluster")).isEqualTo("OFF");
      List<String> loaded = Files.readAllLines(classes);
      assertThat(loaded).hasSizeGreaterThan(1000).anyMatch(line -> line.contains("io.vertx.core.eventbus"));
      assertThat(loaded).noneMatch(line -> line.contains("com.hazelcast") || line.contains("cluster.hazelcast"));
      LOG.log(Level.INFO, "cluster test: an engine with the cluster off was ready in {0} ms",
          off.startedIn.toMillis());
    }
  }

  @Test
  void theProducerLibraryAndTheEngineNameOneAddress() {
    assertThat(EventPublisher.ADDRESS).isEqualTo(EventBusIntake.ADDRESS);
  }

  /** An engine with both roles in the cluster: this process at 127.0.0.1:{@code port}, the others at theirs. */
  private static Map<String, String> clusterEnvironment(String schema, int port, int... others) {
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_CLUSTER_ENABLED", "true");
    env.put("CALLBACK_CLUSTER_HOST", "127.0.0.1");
    env.put("CALLBACK_CLUSTER_PORT", Integer.toString(port));
    env.put("CALLBACK_CLUSTER_MEMBERS", java.util.Arrays.stream(others).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(",")));
    // A killed engine's leased deliveries go back to the queue within seconds (the lease must outlast an attempt).
    env.put("CALLBACK_DISPATCH_LEASE", "2s");
    env.put("CALLBACK_DISPATCH_CONNECT_TIMEOUT", "500ms");
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "1s");
    return env;
  }

  /** An account with one profile delivering every SMS-sent event's {@code event_id} to the receiver. */
  private String accountWithProfile(EngineProcess engine, Receiver receiver) {
    JsonObject account = TestEngine.await(client.post(engine.port, "127.0.0.1", "/admin/accounts")
        .putHeader("authorization", "Bearer " + TestEngine.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "Cluster"))).bodyAsJsonObject().getJsonObject("data");
    int status = TestEngine.await(client.post(engine.port, "127.0.0.1",
            "/v1/" + account.getString("sid") + "/callback/profiles").putHeader("api-key", account.getString("api_key"))
        .sendJsonObject(new JsonObject().put("title", "Cluster receiver").put("http_method", "POST")
            .put("url", receiver.url("/cluster")).put("channel", "sms").put("events", "SMS-sent")
            .put("body", new JsonObject().put("event_id", "<event_id>").put("n", "<n>")))).statusCode();
    assertThat(status).isEqualTo(201);
    return account.getString("sid");
  }

  /** The account, made with the command line straight in the database (no engine is running yet). */
  private void createAccount(String sid) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "callback-engine.jar").toString(), "create-account", "--name", "Lonely", "--sid", sid)
        .redirectErrorStream(true).redirectOutput(Path.of("target", "cluster-create-account.log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CALLBACK_"));
    builder.environment().putAll(TestEngine.environment(schema));
    assertThat(builder.start().waitFor()).isZero();
  }

  private JsonObject ready(EngineProcess engine) {
    return TestEngine.await(client.get(engine.port, "127.0.0.1", "/health/ready").send()).bodyAsJsonObject();
  }

  /** The Vert.x nodes this engine sees, 0 when its cluster check is not UP. */
  private int members(EngineProcess engine) {
    Object cluster = ready(engine).getJsonObject("checks").getValue("cluster");
    return cluster instanceof JsonObject up ? up.getInteger("members") : 0;
  }

  /** {@code callback_events_accepted_total} of one engine: the events it committed (all from the bus here). */
  private long acceptedBy(EngineProcess engine) {
    String metrics = TestEngine.await(client.get(engine.port, "127.0.0.1", "/metrics").send()).bodyAsString();
    return Math.round(metrics.lines().filter(line -> line.startsWith("callback_events_accepted_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
  }

  private static Set<String> arrivedEventIds(Receiver receiver) {
    return receiver.arrivals.stream().map(a -> a.body().toJsonObject().getString("event_id"))
        .collect(Collectors.toSet());
  }
}
