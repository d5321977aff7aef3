package io.callbackengine.app;

import io.callbackengine.app.config.ConfigException;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.store.MasterKeyCheck;
import io.callbackengine.store.SchemaMigrator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code serve} (the default) runs the engine; {@code migrate} applies the schema migrations and
 * exits. {@code --config FILE} (or {@code CALLBACK_CONFIG}) adds a YAML file over the defaults. A start-up failure
 * prints one line saying what is wrong and what to do, and exits non-zero.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final String USAGE = """
      Usage: java -jar callback-engine.jar [serve|migrate|--help] [--config FILE]
        serve     run the engine (default): API, intake, dispatcher, /health/*, /metrics
        migrate   create or migrate the database schema, then exit
        --config  a YAML file whose keys override config/application.yaml; CALLBACK_* variables override both
      """;

  private Main() {
  }

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    String command = arguments.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("serve");
    Optional<Path> configFile = option(arguments, "--config")
        .or(() -> Optional.ofNullable(System.getenv("CALLBACK_CONFIG")))
        .map(Path::of);
    EngineConfig config;
    try {
      config = EngineConfig.load(configFile, System.getenv());
    } catch (ConfigException e) {
      exit("Configuration error: " + e.getMessage());
      return;
    }
    switch (command) {
      case "serve" -> serve(config);
      case "migrate" -> migrate(config);
      default -> exit("Unknown command '" + command + "'.\n" + USAGE);
    }
  }

  private static void serve(EngineConfig config) {
    try {
      Application app = Application.start(config).toCompletionStage().toCompletableFuture().get();
      GracefulShutdown.onSignals(app);
    } catch (ExecutionException e) {
      exit(StartupFailure.explain(e.getCause(), config));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit("Interrupted during start-up");
    } catch (ConfigException e) {
      exit("Configuration error: " + e.getMessage());
    }
  }

  private static void migrate(EngineConfig config) {
    Vertx vertx = Vertx.vertx();
    try {
      String version = new SchemaMigrator(config.database()).migrate(vertx).toCompletionStage().toCompletableFuture().get();
      System.out.println("Schema " + config.database().schema() + " is at version " + version);
    } catch (ExecutionException e) {
      exit(StartupFailure.explain(e.getCause(), config));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      vertx.close();
    }
  }

  private static Optional<String> option(List<String> arguments, String name) {
    int at = arguments.indexOf(name);
    return at >= 0 && at + 1 < arguments.size() ? Optional.of(arguments.get(at + 1)) : Optional.empty();
  }

  private static void exit(String message) {
    System.err.println(message);
    System.exit(1);
  }

  /** Turns the reasons a start can fail into one line a person can act on. */
  static final class StartupFailure {
    private StartupFailure() {
    }

    static String explain(Throwable failure, EngineConfig config) {
      if (failure instanceof MasterKeyCheck.WrongMasterKeyException || failure instanceof ConfigException) {
        return "Cannot start: " + failure.getMessage();
      }
      String where = config.database().displayUrl();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        String message = String.valueOf(t.getMessage());
        if (t instanceof java.net.ConnectException || message.contains("Connection refused")
            || message.contains("Connection to") || t instanceof java.net.UnknownHostException) {
          String reason = message.contains("refused") ? "connection refused" : firstLine(message);
          return "Cannot reach PostgreSQL at " + where + " (" + reason + "). Start PostgreSQL, or "
              + "point CALLBACK_DATABASE_URL at a running server.";
        }
        if (message.contains("does not exist") || message.contains("authentication failed")
            || message.contains("password")) {
          return "PostgreSQL at " + where + " refused the engine: " + firstLine(message)
              + ". Check CALLBACK_DATABASE_URL.";
        }
      }
      return "Cannot start: " + firstLine(String.valueOf(failure.getMessage())) + " (database " + where + ")";
    }

    private static String firstLine(String message) {
      return message.lines().findFirst().orElse(message);
    }
  }
}
