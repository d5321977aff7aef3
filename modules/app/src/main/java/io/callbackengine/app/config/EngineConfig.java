package io.callbackengine.app.config;

import io.callbackengine.dispatcher.DispatchSettings;
import io.callbackengine.producer.ClusterSettings;
import io.callbackengine.domain.network.CidrBlock;
import io.callbackengine.domain.profile.FailureStreak;
import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting, parsed once into types. Secrets ({@code adminToken}, {@code masterKey}) are never printed.
 *
 * @param masterKey base64 text of the 32-byte master key, when configured
 * @param cluster how to join the Vert.x cluster; empty when clustering is off (the default)
 */
public record EngineConfig(
    Set<Role> roles,
    LogFormat logFormat,
    HttpSettings http,
    Duration apiCacheMaxAge,
    DatabaseSettings database,
    Optional<String> adminToken,
    Optional<String> masterKey,
    Path dataDir,
    List<CidrBlock> allowedCidrs,
    DispatchSettings dispatch,
    Duration shutdownGrace,
    FailureStreak.Policy autoDisable,
    RetentionPolicy retention,
    Optional<ClusterSettings> cluster,
    List<String> unknownVariables) {

  /** What a process does; several processes with different roles can share one database. */
  public enum Role {
    /** The HTTP API (admin, profiles, events, delivery log) and event-bus intake. */
    API,
    /** Claims and sends deliveries. */
    DISPATCHER;

    static Set<Role> parse(String text) {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String name : text.split(",")) {
        String trimmed = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (trimmed.isEmpty()) {
          continue;
        }
        try {
          roles.add(Role.valueOf(trimmed));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("CALLBACK_ROLES takes api, dispatcher or both (comma-separated), not '" + name.trim() + "'");
        }
      }
      if (roles.isEmpty()) {
        throw new ConfigException("CALLBACK_ROLES must name at least one of api, dispatcher");
      }
      return roles;
    }
  }

  /** How log lines are written. */
  public enum LogFormat {
    TEXT, JSON;

    static LogFormat parse(String text) {
      try {
        return LogFormat.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("CALLBACK_LOG_FORMAT takes text or json, not '" + text + "'");
      }
    }
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** Where and how the HTTP server listens, and how long a request may take before it is answered 503. */
  public record HttpSettings(String host, int port, int instances, Duration requestTimeout) {
    public HttpSettings {
      if (port < 0 || port > 65535) {
        throw new ConfigException("CALLBACK_HTTP_PORT must be a port number, not " + port);
      }
      if (instances < 1) {
        throw new ConfigException("CALLBACK_HTTP_INSTANCES must be at least 1");
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new ConfigException("CALLBACK_HTTP_REQUEST_TIMEOUT must be a positive duration");
      }
    }
  }

  /** The configuration from the shipped defaults, an optional file and the given environment. */
  public static EngineConfig load(Optional<Path> file, Map<String, String> environment) {
    ConfigSource source = ConfigSource.load(file, environment);
    try {
      return new EngineConfig(
          Role.parse(source.text("roles")),
          LogFormat.parse(source.text("log-format")),
          new HttpSettings(source.text("http.host"), source.integer("http.port"), source.integer("http.instances"),
              source.duration("http.request-timeout")),
          source.duration("api.cache-max-age"),
          new DatabaseSettings(source.text("database.url"), source.text("database.schema"),
              source.integer("database.pool-size"), source.duration("database.connect-timeout"),
              source.duration("database.pool-wait"), source.duration("database.socket-timeout")),
          source.optionalText("admin.token"),
          source.optionalText("master-key"),
          Path.of(source.text("data-dir")),
          CidrBlock.parseList(source.text("allowed-cidrs")),
          new DispatchSettings(
              source.integer("dispatch.batch-size"),
              source.integer("dispatch.max-in-flight"),
              source.integer("dispatch.per-profile-in-flight"),
              source.integer("dispatch.pool-size"),
              source.duration("dispatch.lease"),
              source.duration("dispatch.poll-interval"),
              source.duration("dispatch.reaper-interval"),
              source.duration("dispatch.connect-timeout"),
              source.duration("dispatch.request-timeout"),
              RetrySchedule.parse(source.text("retry.schedule"), source.decimal("retry.jitter"))),
          source.duration("dispatch.shutdown-grace"),
          new FailureStreak.Policy(source.duration("auto-disable.window"), source.integer("auto-disable.failures")),
          RetentionPolicy.of(source.duration("retention")),
          cluster(source),
          source.unknownVariables());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Optional<ClusterSettings> cluster(ConfigSource source) {
    if (!source.bool("cluster.enabled")) {
      return Optional.empty();
    }
    return Optional.of(new ClusterSettings(source.text("cluster.name"), source.text("cluster.host"),
        source.integer("cluster.port"), source.integer("cluster.bus-port"),
        ClusterSettings.parseMembers(source.text("cluster.members"))));
  }

  @Override
  public String toString() {
    return "EngineConfig[roles=" + roles + ", http=" + http + ", database=" + database + ", adminToken=" + (adminToken.isPresent() ? "set" : "unset")
         + ", apiCacheMaxAge=" + apiCacheMaxAge
        + ", masterKey=" + (masterKey.isPresent() ? "set" : "from data dir") + ", dataDir=" + dataDir
        + ", allowedCidrs=" + allowedCidrs + ", dispatch=" + dispatch
        + ", autoDisable=" + autoDisable + ", retention=" + retention
        + ", cluster=" + cluster.map(Object::toString).orElse("off") + "]";
  }
}
