package io.callbackengine.app.config;

import io.callbackengine.domain.time.DurationText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Settings as flat text, key path to value: the defaults of {@code application.yaml} (shipped in the jar), then an
 * optional YAML file, then environment variables {@code CALLBACK_<KEY_PATH>}. Read once, at start-up.
 */
public final class ConfigSource {

  public static final String ENV_PREFIX = "CALLBACK_";
  private static final String DEFAULTS = "application.yaml";

  private final Map<String, String> values;
  private final List<String> unknownVariables;

  private ConfigSource(Map<String, String> values, List<String> unknownVariables) {
    this.values = values;
    this.unknownVariables = unknownVariables;
  }

  /** Defaults, then {@code file} if given, then the {@code CALLBACK_*} entries of {@code environment}. */
  public static ConfigSource load(Optional<Path> file, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    try (InputStream defaults = ConfigSource.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (defaults == null) {
        throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
      }
      flatten("", yaml().load(defaults), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (file.isPresent()) {
      Map<String, String> overrides = new LinkedHashMap<>();
      try (InputStream in = Files.newInputStream(file.get())) {
        flatten("", yaml().load(in), overrides);
      } catch (IOException e) {
        throw new ConfigException("cannot read the configuration file " + file.get() + ": " + e.getMessage());
      }
      overrides.forEach((key, value) -> {
        if (!values.containsKey(key)) {
          throw new ConfigException("unknown setting '" + key + "' in " + file.get());
        }
        values.put(key, value);
      });
    }
    Map<String, String> byVariable = new LinkedHashMap<>();
    values.keySet().forEach(key -> byVariable.put(variableName(key), key));
    List<String> unknown = new ArrayList<>();
    environment.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX) || name.equals("CALLBACK_CONFIG")) {
        return;
      }
      String key = byVariable.get(name);
      if (key == null) {
        unknown.add(name);
      } else {
        values.put(key, value);
      }
    });
    return new ConfigSource(values, List.copyOf(unknown));
  }

  /** {@code auto-disable.window} → {@code CALLBACK_AUTO_DISABLE_WINDOW}. */
  public static String variableName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String text(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("no default for setting " + key + " in " + DEFAULTS);
    }
    return value.trim();
  }

  public Optional<String> optionalText(String key) {
    String value = text(key);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public int integer(String key) {
    try {
      return Integer.parseInt(text(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(variableName(key) + " must be a whole number, not '" + text(key) + "'");
    }
  }

  /** {@code true} or {@code false}, in any case; anything else is refused rather than read as false. */
  public boolean bool(String key) {
    String value = text(key).toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new ConfigException(variableName(key) + " must be true or false, not '" + text(key) + "'");
    }
    return value.equals("true");
  }

  public double decimal(String key) {
    try {
      return Double.parseDouble(text(key));
    } catch (NumberFormatException e) {
      throw new ConfigException(variableName(key) + " must be a number, not '" + text(key) + "'");
    }
  }

  /** A duration written {@code 500ms}, {@code 5s}, {@code 5m}, {@code 2h} or {@code 1d}. */
  public java.time.Duration duration(String key) {
    try {
      return DurationText.parse(text(key));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variableName(key) + ": " + e.getMessage());
    }
  }

  /** {@code CALLBACK_*} variables that name no setting: most likely typos, worth a warning. */
  public List<String> unknownVariables() {
    return unknownVariables;
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static void flatten(String prefix, Object node, Map<String, String> into) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, into));
    } else if (!prefix.isEmpty()) {
      into.put(prefix, node == null ? "" : String.valueOf(node));
    }
  }
}
