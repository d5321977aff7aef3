package io.callbackengine.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.callbackengine.app.config.EngineConfig.LogFormat;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The engine's logging, set up in code: readable lines on standard output by default, one JSON object per line with
 * {@code CALLBACK_LOG_FORMAT=json}, and the same logger levels for both. Logback finds this class through
 * {@code META-INF/services} before it looks for XML, so a start does not spend some 50 ms in Logback's XML
 * configurator. {@code config/logback.xml} says the same in XML, as the starting point for an operator's own file:
 * {@code -Dlogback.configurationFile=FILE} (or a {@code logback-test.xml} on the class path, as in the tests) is
 * honoured and replaces all of this. Secrets, keys and api keys are never logged by the engine.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class EngineLogging extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg%n";

  /** Levels apart from the root's INFO. */
  static final Map<String, Level> LEVELS = Map.of(
      "io.netty", Level.WARN,
      "org.flywaydb", Level.WARN,
      // Hazelcast (cluster on) talks a lot at INFO. It warns that the CP subsystem is off: the engine uses no
      // cluster-wide lock or counter (PostgreSQL holds every such state).
      "com.hazelcast", Level.WARN,
      // Except the member list, logged whenever a member joins or leaves.
      "com.hazelcast.internal.cluster.ClusterService", Level.INFO,
      "com.hazelcast.cp.CPSubsystem", Level.ERROR,
      // Vert.x registers one shared gauge per client type; the second registration is harmless.
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR,
      "io.vertx", Level.INFO);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || EngineLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context, LogFormat.TEXT);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Switches to {@code format} once the configuration is read (the start logs in text until then), unless an
   * operator's own Logback file is in charge.
   */
  static void use(LogFormat format) {
    if (format == LogFormat.JSON && System.getProperty("logback.configurationFile") == null
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      apply(context, format);
    }
  }

  /** Replaces whatever logging {@code context} has with the engine's, in {@code format}. */
  static void apply(LoggerContext context, LogFormat format) {
    context.reset();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(format == LogFormat.JSON ? json(context) : text(context));
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  /** Timestamp, level, logger, the formatted message, and key-value pairs such as delivery_id and profile_id. */
  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.start();
    return encoder;
  }
}
