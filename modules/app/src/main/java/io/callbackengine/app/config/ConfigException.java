package io.callbackengine.app.config;

/** A setting the engine cannot start with; the message names the setting and what it expects. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
