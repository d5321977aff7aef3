package io.callbackengine.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine as a separate operating-system process, started from the packaged jar, so tests can kill it the
 * hard way ({@code SIGKILL}) and start another on the same database.
 */
final class EngineProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "callback-engine.jar");

  private final Process process;
  final int port;
  final Path log;
  /** From launching the JVM to the first 200 of {@code /health/ready}. */
  Duration startedIn;

  private EngineProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static EngineProcess start(Map<String, String> environment, String name) throws IOException {
    return start(environment, name, List.of());
  }

  /** As {@link #start(Map, String)}, with {@code jvmOptions} before {@code -jar}. */
  static EngineProcess start(Map<String, String> environment, String name, List<String> jvmOptions)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests with 'mvn verify', which packages it first");
    }
    int port = freePort();
    Path log = Path.of("target", name + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CALLBACK_"));
    builder.environment().putAll(environment);
    builder.environment().put("CALLBACK_HTTP_PORT", Integer.toString(port));
    long launched = System.nanoTime();
    EngineProcess engine = new EngineProcess(builder.start(), port, log);
    engine.awaitReady();
    engine.startedIn = Duration.ofNanos(System.nanoTime() - launched);
    return engine;
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newHttpClient();
    // Generous: an engine joining a cluster starts Hazelcast too, on a machine other builds share.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("engine process exited: " + Files.readString(log));
      }
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    });
  }

  long pid() {
    return process.pid();
  }

  /** The process's resident set size now, in KiB, from {@code /proc/<pid>/status} (Linux); -1 once it has ended. */
  long rssKiB() {
    try {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("VmRSS:\\s+(\\d+) kB")
          .matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException ended) {
      return -1;
    }
  }

  /** Whether the process still runs: false once it exited, whoever ended it. */
  boolean alive() {
    return process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no drain, nothing released. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** {@code kill -TERM}: the engine's own graceful shutdown. Answers the exit code. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("engine did not exit within " + within);
    }
    return process.exitValue();
  }

  /** A port free on 127.0.0.1 now; taken by another process again only by bad luck. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
