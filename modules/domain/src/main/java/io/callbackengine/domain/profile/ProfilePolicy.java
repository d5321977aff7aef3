package io.callbackengine.domain.profile;

import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.domain.time.DurationText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile's own delivery settings (API.md §14 "Policy"); each is null where the engine's default applies.
 *
 * @param retrySchedule the waits after the 1st, 2nd, … failed attempt (the engine's jitter still applies)
 * @param timeout       the whole-request timeout of one callback
 * @param maxInFlight   requests of this profile one dispatcher process sends at once
 * @param rateLimit     callbacks per second to this profile, across all dispatcher processes
 * @param finalStatuses HTTP statuses that end the delivery {@code failed} at once, without retry
 */
public record ProfilePolicy(List<Duration> retrySchedule, Duration timeout, Integer maxInFlight, Integer rateLimit,
    List<Integer> finalStatuses) {

  /** Every setting at the engine's default. */
  public static final ProfilePolicy DEFAULTS = new ProfilePolicy(null, null, null, null, null);

  public ProfilePolicy {
    retrySchedule = retrySchedule == null ? null : List.copyOf(retrySchedule);
    finalStatuses = finalStatuses == null ? null : List.copyOf(finalStatuses);
  }

  /** The engine's defaults a policy falls back on. */
  public record Defaults(RetrySchedule retrySchedule, Duration timeout, int maxInFlight) {
  }

  /** The retry schedule to use: this profile's waits with the engine's jitter, or the engine's schedule. */
  public RetrySchedule retrySchedule(RetrySchedule engine) {
    return retrySchedule == null ? engine : new RetrySchedule(retrySchedule, engine.jitter());
  }

  public Duration timeout(Duration engine) {
    return timeout == null ? engine : timeout;
  }

  public int maxInFlight(int engine) {
    return maxInFlight == null ? engine : maxInFlight;
  }

  /** Whether {@code status} ends the delivery at once. */
  public boolean isFinal(Integer status) {
    return status != null && finalStatuses != null && finalStatuses.contains(status);
  }

  /** The settings this profile sets, in the API's form: what is stored. */
  public JsonObject stored() {
    JsonObject json = new JsonObject();
    if (retrySchedule != null) {
      json.put("retry_schedule", schedule(retrySchedule));
    }
    if (timeout != null) {
      json.put("timeout", DurationText.format(timeout));
    }
    if (maxInFlight != null) {
      json.put("max_in_flight", maxInFlight);
    }
    if (rateLimit != null) {
      json.put("rate_limit", rateLimit);
    }
    if (finalStatuses != null) {
      json.put("final_statuses", new JsonArray(finalStatuses));
    }
    return json;
  }

  /** Every setting as it applies, the engine's defaults filled in: what GET shows. */
  public JsonObject effective(Defaults defaults) {
    return new JsonObject()
        .put("retry_schedule", schedule(retrySchedule != null ? retrySchedule : defaults.retrySchedule().delays()))
        .put("timeout", DurationText.format(timeout(defaults.timeout())))
        .put("max_in_flight", maxInFlight(defaults.maxInFlight()))
        .put("rate_limit", rateLimit)
        .put("final_statuses", new JsonArray(finalStatuses == null ? List.of() : finalStatuses));
  }

  /** Reads what {@link #stored()} wrote. */
  public static ProfilePolicy fromStored(JsonObject json) {
    String schedule = json.getString("retry_schedule");
    String timeout = json.getString("timeout");
    JsonArray statuses = json.getJsonArray("final_statuses");
    return new ProfilePolicy(schedule == null ? null : DurationText.parseList(schedule),
        timeout == null ? null : DurationText.parse(timeout), json.getInteger("max_in_flight"),
        json.getInteger("rate_limit"),
        statuses == null ? null : statuses.stream().map(s -> ((Number) s).intValue()).toList());
  }

  private static String schedule(List<Duration> delays) {
    return delays.stream().map(DurationText::format).collect(Collectors.joining(","));
  }
}
