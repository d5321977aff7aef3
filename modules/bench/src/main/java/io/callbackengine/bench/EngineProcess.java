package io.callbackengine.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The engine under test, as its own process from the packaged jar, with its memory read from {@code /proc}. */
final class EngineProcess implements AutoCloseable {

  static final String ADMIN_TOKEN = "bench-admin-token";

  private final Process process;
  final int port;
  final String schema;
  private final String masterKey;
  private final Path log;
  private long peakRssKb;

  private EngineProcess(Process process, int port, String schema, String masterKey, Path log) {
    this.process = process;
    this.port = port;
    this.schema = schema;
    this.masterKey = masterKey;
    this.log = log;
  }

  /**
   * How to start an engine.
   *
   * @param environment variables on top of the ones the benchmark sets (an engine ignores {@code CALLBACK_*} ones it
   *     does not know, so an older jar runs with a newer jar's settings)
   * @param jvmOptions options before {@code -jar}, such as a flight recording
   */
  record Settings(Path jar, String databaseUrl, String heap, Map<String, String> environment, List<String> jvmOptions,
      Path log) {
  }

  /** Starts the engine on a free port with a schema of its own, named after {@code label}; see {@link #awaitReady}. */
  static EngineProcess start(String label, Settings settings) throws Exception {
    if (!Files.exists(settings.jar())) {
      throw new IllegalStateException(settings.jar() + " is missing: build it first with mvn -B -q package -DskipTests");
    }
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    // Two engines start within the same millisecond in a comparison: the label keeps their schemas apart.
    String schema = "bench_" + System.currentTimeMillis() + "_" + label.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_");
    return launch(schema, Base64.getEncoder().encodeToString(masterKey), settings);
  }

  /**
   * One more process of the same engine: the same schema and master key, a port of its own, its log in
   * {@code settings}. Start it once this one is ready, so the two never migrate the schema at the same time.
   */
  EngineProcess sibling(Settings settings) throws Exception {
    return launch(schema, masterKey, settings);
  }

  private static EngineProcess launch(String schema, String masterKey, Settings settings) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + settings.heap());
    command.addAll(settings.jvmOptions());
    command.addAll(List.of("-jar", settings.jar().toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(settings.log().toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CALLBACK_"));
    builder.environment().putAll(Map.of(
        "CALLBACK_HTTP_PORT", Integer.toString(port),
        "CALLBACK_HTTP_HOST", "127.0.0.1",
        "CALLBACK_DATABASE_URL", settings.databaseUrl(),
        "CALLBACK_DATABASE_SCHEMA", schema,
        "CALLBACK_ADMIN_TOKEN", ADMIN_TOKEN,
        "CALLBACK_MASTER_KEY", masterKey,
        "CALLBACK_ALLOWED_CIDRS", "127.0.0.1/32"));
    builder.environment().putAll(settings.environment());
    EngineProcess engine = new EngineProcess(builder.start(), port, schema, masterKey, settings.log());
    // Should the benchmark be interrupted, the engine must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(engine.process::destroy));
    return engine;
  }

  /** Polls {@code /health/ready} every 100 ms on a Vert.x timer until it answers 200, for at most 60 s. */
  void awaitReady(Vertx vertx) throws Exception {
    WebClient client = WebClient.create(vertx);
    Promise<Void> ready = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    vertx.setPeriodic(100, timer -> {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        ready.tryFail(process.isAlive() ? "the engine did not become ready within 60 s; see " + log
            : "the engine exited; see " + log);
        return;
      }
      client.get(port, "127.0.0.1", "/health/ready").timeout(1000).send().onSuccess(response -> {
        if (response.statusCode() == 200 && ready.tryComplete()) {
          vertx.cancelTimer(timer);
        }
      });
    });
    try {
      ready.future().toCompletionStage().toCompletableFuture().get(70, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage() + "\n" + Files.readString(log));
    } finally {
      client.close();
    }
  }

  /** The resident set size now, in MiB, remembering the highest seen. */
  long rssMiB() {
    try {
      Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
      if (m.find()) {
        peakRssKb = Math.max(peakRssKb, Long.parseLong(m.group(1)));
        return Long.parseLong(m.group(1)) / 1024;
      }
    } catch (IOException gone) {
      // the process ended
    }
    return -1;
  }

  long pid() {
    return process.pid();
  }

  long peakRssMiB() {
    return peakRssKb / 1024;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
