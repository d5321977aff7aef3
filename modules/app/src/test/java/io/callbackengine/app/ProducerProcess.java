package io.callbackengine.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The example producer of modules/producer as its own operating-system process, joined to a cluster over loopback
 * TCP/IP exactly as the README runs it; what it printed is read back, one {@link Outcome} per event.
 */
final class ProducerProcess implements AutoCloseable {

  private static final Path JAR = Path.of("..", "producer", "target", "callback-engine-producer-example.jar");

  /** One line of the producer's report: {@code kind} is accepted, refused or unanswered. */
  record Outcome(String kind, String id, String eventId, boolean duplicate, int attempts, String line) {

    static Outcome parse(String line) {
      Map<String, String> fields = new HashMap<>();
      for (String part : line.split(" ")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          fields.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      return new Outcome(line.substring(0, line.indexOf(' ')), fields.get("id"), fields.get("event_id"),
          Boolean.parseBoolean(fields.get("duplicate")), Integer.parseInt(fields.getOrDefault("attempts", "0")),
          line);
    }
  }

  private final Process process;
  final Path log;

  private ProducerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Joins as 127.0.0.1:{@code hazelcastPort} through {@code members}; {@code args} go to the example. */
  static ProducerProcess start(String name, int hazelcastPort, List<String> members, String... args)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests with 'mvn verify', which "
          + "packages the producer module first");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path log = Path.of("target", name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CALLBACK_"));
    builder.environment().put("CALLBACK_CLUSTER_HOST", "127.0.0.1");
    builder.environment().put("CALLBACK_CLUSTER_PORT", Integer.toString(hazelcastPort));
    builder.environment().put("CALLBACK_CLUSTER_MEMBERS", String.join(",", members));
    return new ProducerProcess(builder.start(), log);
  }

  /** Every complete line printed so far. */
  List<String> lines() {
    try {
      String text = Files.readString(log);
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The per-event lines printed so far. */
  List<Outcome> outcomes() {
    return lines().stream()
        .filter(l -> l.startsWith("accepted ") || l.startsWith("refused ") || l.startsWith("unanswered "))
        .map(Outcome::parse)
        .toList();
  }

  long count(String kind) {
    return outcomes().stream().filter(o -> o.kind().equals(kind)).count();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the producer to finish on its own; fails (and kills it) when it does not within {@code limit}. */
  int awaitExit(Duration limit) throws InterruptedException, IOException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the producer did not finish within " + limit + "; its log ends: "
          + tail(Files.readString(log)));
    }
    return process.exitValue();
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
