package io.callbackengine.domain.delivery;

import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A replay of a profile's finished deliveries (API.md §14): those created in {@code [since, until)} whose status is
 * one of {@code statuses}, at most {@link #MAX_PER_CALL} per call, oldest first.
 */
public record ReplayRequest(Instant since, Instant until, List<String> statuses) {

  public static final int MAX_PER_CALL = 10_000;
  private static final Set<String> FIELDS = Set.of("since", "until", "status");
  private static final List<String> REPLAYABLE = List.of(DeliveryStatus.FAILED.sql(), DeliveryStatus.DELIVERED.sql());

  public ReplayRequest {
    statuses = List.copyOf(statuses);
  }

  /** Reads a request body; {@code now} is {@code until} when it has none. Throws one 400 listing every problem. */
  public static ReplayRequest read(JsonObject body, Instant now) {
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    reader.onlyKnown(body, "body", FIELDS);
    Instant since = null;
    if (!body.containsKey("since")) {
      reader.required("body", "since");
    } else {
      since = time(body.getValue("since"), "body/since", reader);
    }
    Instant until = body.getValue("until") == null ? now : time(body.getValue("until"), "body/until", reader);
    List<String> statuses = List.of(DeliveryStatus.FAILED.sql());
    if (body.getValue("status") != null) {
      statuses = statuses(body.getValue("status"), reader);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      reader.fail("body/since", "must be before until");
    }
    reader.throwIfInvalid();
    return new ReplayRequest(since, until, statuses);
  }

  private static Instant time(Object value, String path, JsonFieldReader reader) {
    String text = reader.string(value, path);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      reader.fail(path, "must be an ISO-8601 date-time with an offset, such as 2026-12-01T10:00:00Z");
      return null;
    }
  }

  private static List<String> statuses(Object value, JsonFieldReader reader) {
    JsonArray array = reader.array(value, "body/status");
    if (array == null) {
      return List.of();
    }
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String status = reader.string(array.getValue(i), "body/status/" + i);
      if (status != null && !REPLAYABLE.contains(status)) {
        reader.fail("body/status/" + i, "must be equal to one of the allowed values: failed, delivered");
      } else if (status != null && !statuses.contains(status)) {
        statuses.add(status);
      }
    }
    if (array.isEmpty()) {
      reader.fail("body/status", "must NOT have fewer than 1 items");
    }
    return statuses;
  }
}
