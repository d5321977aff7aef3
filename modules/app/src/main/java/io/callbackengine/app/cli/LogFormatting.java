package io.callbackengine.app.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.callbackengine.app.config.EngineConfig;
import org.slf4j.LoggerFactory;

/** Switches logging to one JSON object per line ({@code logback-json.xml}) when configured; text is the default. */
final class LogFormatting {

  private LogFormatting() {
  }

  static void apply(EngineConfig.LogFormat format) throws JoranException {
    if (format != EngineConfig.LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatting.class.getResource("/logback-json.xml"));
  }
}
