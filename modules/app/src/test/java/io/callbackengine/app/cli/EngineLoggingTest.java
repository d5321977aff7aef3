package io.callbackengine.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import io.callbackengine.app.config.EngineConfig.LogFormat;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The built-in logging and its XML twin in {@code config/} say the same; JSON lines are JSON. */
class EngineLoggingTest {

  private static final Path XML_TWIN = Path.of("../../config/logback.xml");

  @Test
  void configLogbackXmlSetsTheSameLevelsAndPatternAsTheBuiltInSetUp() throws Exception {
    LoggerContext fromXml = new LoggerContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(fromXml);
    joran.doConfigure(XML_TWIN.toFile());
    LoggerContext builtIn = new LoggerContext();
    EngineLogging.apply(builtIn, LogFormat.TEXT);

    assertThat(explicitLevels(builtIn)).isEqualTo(explicitLevels(fromXml)).hasSize(EngineLogging.LEVELS.size() + 1);
    assertThat(pattern(builtIn)).isEqualTo(pattern(fromXml)).isEqualTo(EngineLogging.PATTERN);
  }

  @Test
  void jsonFormatWritesOneJsonObjectPerLineWithTheFormattedMessage() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    EngineLogging.apply(context, LogFormat.JSON);
    ConsoleAppender<ILoggingEvent> console = stdout(context);
    Logger logger = context.getLogger("io.callbackengine.Example");

    String written = new String(console.getEncoder().encode(
        new LoggingEvent(Logger.FQCN, logger, Level.INFO, "Delivered {} of {}", null, new Object[] {3, 4})),
        StandardCharsets.UTF_8);

    assertThat(written).endsWith("\n").doesNotContain("\n{");
    JsonObject line = new JsonObject(written);
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("loggerName")).isEqualTo("io.callbackengine.Example");
    assertThat(line.getString("formattedMessage")).isEqualTo("Delivered 3 of 4");
    assertThat(context.getLogger("io.netty.Chatty").isInfoEnabled()).isFalse();
  }

  @Test
  void anOperatorsOwnFileOrTheTestsLogbackTestXmlTakesOver() {
    // This module's tests carry a logback-test.xml: Logback's own configurator must be left to read it.
    assertThat(new EngineLogging().configure(new LoggerContext())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  private static Map<String, Level> explicitLevels(LoggerContext context) {
    Map<String, Level> levels = new TreeMap<>();
    context.getLoggerList().stream().filter(logger -> logger.getLevel() != null)
        .forEach(logger -> levels.put(logger.getName(), logger.getLevel()));
    return levels;
  }

  private static String pattern(LoggerContext context) {
    return ((PatternLayoutEncoder) stdout(context).getEncoder()).getPattern();
  }

  private static ConsoleAppender<ILoggingEvent> stdout(LoggerContext context) {
    return (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
  }
}
