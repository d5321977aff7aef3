package io.callbackengine.app;

import io.callbackengine.app.cli.Arguments;
import io.callbackengine.app.cli.Command;
import io.callbackengine.app.cli.CreateAccountCommand;
import io.callbackengine.app.cli.DecryptCommand;
import io.callbackengine.app.cli.MigrateCommand;
import io.callbackengine.app.cli.ServeCommand;
import io.callbackengine.app.cli.VerifySignatureCommand;
import io.callbackengine.app.config.ConfigException;
import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.store.MasterKeyCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The operator command line: {@code serve} (the default), {@code migrate}, {@code create-account}, and for
 * receivers {@code decrypt} and {@code verify-signature}. {@code --help} on each. A failure prints one line saying
 * what is wrong and what to do, and exits non-zero: 1 for a failure, 2 for wrong arguments.
 */
public final class Main {

  private static final String NETTY_FLIGHT_RECORDER_EVENTS = "io.netty.jfr.enabled";

  private Main() {
  }

  public static void main(String[] args) {
    // Netty reports its buffer allocations to Flight Recorder whenever the JVM has one, and loading Flight Recorder's
    // metadata for that held up the start's first database connection by 0.1 to 0.15 s. The engine's own
    // recordings (the benchmark's --jfr) do not need those events; -Dio.netty.jfr.enabled=true brings them back.
    if (System.getProperty(NETTY_FLIGHT_RECORDER_EVENTS) == null) {
      System.setProperty(NETTY_FLIGHT_RECORDER_EVENTS, "false");
    }
    int status = run(Arrays.asList(args), System.getenv(), System.out, System.err);
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs one command; answers its exit status, or -1 when the engine keeps running (serve). */
  static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(args);
    Optional<Path> configFile = takeOption(rest, "--config")
        .or(() -> Optional.ofNullable(environment.get("CALLBACK_CONFIG"))).map(Path::of);
    Supplier<EngineConfig> config = () -> EngineConfig.load(configFile, environment);
    List<Command> commands = List.of(new ServeCommand(config, GracefulShutdown::onSignals), new MigrateCommand(config),
        new CreateAccountCommand(config), new DecryptCommand(), new VerifySignatureCommand());
    String name = rest.isEmpty() || rest.get(0).startsWith("-") ? "serve" : rest.remove(0);
    if (name.equals("serve") && (rest.contains("--help") || rest.contains("-h")) && !args.contains("serve")) {
      out.print(overview(commands));
      return 0;
    }
    Optional<Command> command = commands.stream().filter(c -> c.name().equals(name)).findFirst();
    if (command.isEmpty()) {
      err.println("Unknown command '" + name + "'.");
      err.print(overview(commands));
      return 2;
    }
    try {
      Arguments arguments = new Arguments(rest, List.of("--help"));
      if (arguments.has("--help")) {
        out.print(command.get().usage());
        return 0;
      }
      return command.get().run(arguments, out, err);
    } catch (Arguments.UsageException e) {
      err.println(e.getMessage());
      err.print(command.get().usage());
      return 2;
    } catch (ConfigException e) {
      err.println("Configuration error: " + e.getMessage());
      return 1;
    } catch (ExecutionException e) {
      err.println(e.getCause() instanceof ClientProblem problem ? problem.summary()
          : StartupFailure.explain(e.getCause(), config.get()));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Interrupted");
      return 1;
    } catch (Exception e) {
      err.println("Failed: " + e.getMessage());
      return 1;
    }
  }

  private static String overview(List<Command> commands) {
    StringBuilder text = new StringBuilder("Usage: java -jar callback-engine.jar [COMMAND] [--config FILE] [options]\n");
    commands.forEach(c -> text.append(String.format("  %-17s %s%n", c.name(), c.summary())));
    return text.append("Run a command with --help for its options.\n").toString();
  }

  private static Optional<String> takeOption(List<String> args, String name) {
    int at = args.indexOf(name);
    if (at < 0 || at + 1 >= args.size()) {
      return Optional.empty();
    }
    String value = args.get(at + 1);
    args.remove(at + 1);
    args.remove(at);
    return Optional.of(value);
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
