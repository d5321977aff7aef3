package io.callbackengine.domain.profile;

import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.time.DurationText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a profile's {@code policy} (API.md §14): a PATCH merges it field by field into the stored one, and a field
 * set to null returns to the engine's default.
 */
final class ProfilePolicyInput {

  private static final Set<String> FIELDS = Set.of("retry_schedule", "timeout", "max_in_flight", "rate_limit",
      "final_statuses");
  static final int MAX_RETRIES = 20;
  static final Duration MAX_RETRY_DELAY = Duration.ofDays(7);
  static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  static final int MAX_IN_FLIGHT = 64;
  static final int MAX_RATE = 10_000;

  private ProfilePolicyInput() {
  }

  /** {@code current} with what {@code value} sets; null after noting why it cannot be read. */
  static ProfilePolicy read(Object value, String path, JsonFieldReader reader, ProfilePolicy current) {
    if (value == null) {
      return ProfilePolicy.DEFAULTS;
    }
    if (!(value instanceof JsonObject policy)) {
      reader.fail(path, "must be object or null");
      return null;
    }
    int before = reader.violations().size();
    reader.onlyKnown(policy, path, FIELDS);
    List<Duration> schedule = current.retrySchedule();
    Duration timeout = current.timeout();
    Integer maxInFlight = current.maxInFlight();
    Integer rateLimit = current.rateLimit();
    List<Integer> finalStatuses = current.finalStatuses();
    if (policy.containsKey("retry_schedule")) {
      schedule = schedule(policy.getValue("retry_schedule"), path + "/retry_schedule", reader);
    }
    if (policy.containsKey("timeout")) {
      timeout = timeout(policy.getValue("timeout"), path + "/timeout", reader);
    }
    if (policy.containsKey("max_in_flight")) {
      maxInFlight = bounded(policy.getValue("max_in_flight"), path + "/max_in_flight", reader, 1, MAX_IN_FLIGHT);
    }
    if (policy.containsKey("rate_limit")) {
      rateLimit = bounded(policy.getValue("rate_limit"), path + "/rate_limit", reader, 1, MAX_RATE);
    }
    if (policy.containsKey("final_statuses")) {
      finalStatuses = statuses(policy.getValue("final_statuses"), path + "/final_statuses", reader);
    }
    return reader.violations().size() > before ? null
        : new ProfilePolicy(schedule, timeout, maxInFlight, rateLimit, finalStatuses);
  }

  private static List<Duration> schedule(Object value, String path, JsonFieldReader reader) {
    if (value == null) {
      return null;
    }
    String text = reader.string(value, path);
    if (text == null) {
      return null;
    }
    List<Duration> delays;
    try {
      delays = DurationText.parseList(text);
    } catch (IllegalArgumentException e) {
      reader.fail(path, "must be comma-separated durations such as '5s,1m,10m': " + e.getMessage());
      return null;
    }
    if (delays.size() > MAX_RETRIES) {
      reader.fail(path, "must NOT have more than " + MAX_RETRIES + " delays");
    } else if (delays.stream().anyMatch(d -> d.compareTo(MAX_RETRY_DELAY) > 0)) {
      reader.fail(path, "must NOT have a delay longer than 7d");
    }
    return delays;
  }

  private static Duration timeout(Object value, String path, JsonFieldReader reader) {
    if (value == null) {
      return null;
    }
    String text = reader.string(value, path);
    if (text == null) {
      return null;
    }
    try {
      Duration timeout = DurationText.parse(text);
      if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
        reader.fail(path, "must be between 100ms and 1m");
      }
      return timeout;
    } catch (IllegalArgumentException e) {
      reader.fail(path, "must be a duration such as '10s': " + e.getMessage());
      return null;
    }
  }

  private static Integer bounded(Object value, String path, JsonFieldReader reader, int min, int max) {
    if (value == null) {
      return null;
    }
    Integer number = reader.integer(value, path);
    if (number != null && (number < min || number > max)) {
      reader.fail(path, "must be between " + min + " and " + max);
    }
    return number;
  }

  private static List<Integer> statuses(Object value, String path, JsonFieldReader reader) {
    if (value == null) {
      return null;
    }
    JsonArray array = reader.array(value, path);
    if (array == null) {
      return null;
    }
    if (array.size() > 50) {
      reader.fail(path, "must NOT have more than 50 items");
      return null;
    }
    Set<Integer> statuses = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Integer status = reader.integer(array.getValue(i), path + "/" + i);
      if (status == null) {
        continue;
      }
      if (status < 400 || status > 599) {
        reader.fail(path + "/" + i, "must be a 4xx or 5xx status");
      } else if (status == 410) {
        reader.fail(path + "/" + i, "must not be 410, which always disables the profile");
      } else {
        statuses.add(status);
      }
    }
    return new ArrayList<>(statuses);
  }
}
