package io.callbackengine.app.cli;

import io.callbackengine.app.Application;
import io.callbackengine.app.config.EngineConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the engine until SIGTERM or SIGINT, then drains and exits 0. */
public final class ServeCommand implements Command {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  private final Supplier<EngineConfig> config;
  private final ShutdownOnSignals shutdown;

  public ServeCommand(Supplier<EngineConfig> config, ShutdownOnSignals shutdown) {
    this.config = config;
    this.shutdown = shutdown;
  }

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "run the engine (the default): API, intake, dispatcher, /health/*, /metrics";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar [serve] [--config FILE]
        Runs the engine with config/application.yaml's defaults, FILE's keys over them, and CALLBACK_* variables over
        both. CALLBACK_ROLES=api or dispatcher runs one part only. SIGTERM/SIGINT stop it gracefully (exit 0).
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
    EngineConfig engineConfig = config.get();
    EngineLogging.use(engineConfig.logFormat());
    LOG.info("Start-up: JVM, logging and configuration took {} ms", sinceProcessStart());
    Application app = Application.start(engineConfig).toCompletionStage().toCompletableFuture().get();
    LOG.info("Ready {} ms after the process started", sinceProcessStart());
    shutdown.install(app);
    return -1;
  }

  /**
   * From the JVM's start to now. (The operating system's process start time would include the launcher's few
   * milliseconds, but Java reads it to the second only.)
   */
  private static long sinceProcessStart() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /** Installs the graceful stop; kept apart so the command line can be tested without signals. */
  @FunctionalInterface
  public interface ShutdownOnSignals {
    void install(Application app);
  }
}
