package io.callbackengine.domain.event;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what a producer publishes: one event object or an array of up to {@link #MAX_BATCH}. Every problem is
 * reported with its place ({@code body/3/event must be string}); one bad event refuses the whole request, so a
 * producer never has to guess which events of a batch were stored.
 */
public final class EventInput {

  public static final int MAX_BATCH = 1000;
  public static final int MAX_DATA_BYTES = 64 * 1024;
  private static final Set<String> FIELDS = Set.of("id", "event", "channel", "profile_id", "data", "ordering_key");
  private static final Set<String> BUS_FIELDS = Set.of("id", "event", "channel", "profile_id", "data", "sid",
      "ordering_key");
  public static final int MAX_ORDERING_KEY = 256;
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private EventInput() {
  }

  /** An HTTP body: an event or an array of events. */
  public static List<IncomingEvent> fromRequest(Object body) {
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    List<IncomingEvent> events = new ArrayList<>();
    if (body instanceof JsonObject single) {
      events.add(read(single, "body", FIELDS, reader));
    } else if (body instanceof JsonArray array) {
      if (array.isEmpty()) {
        reader.fail("body", "must NOT have fewer than 1 items");
      } else if (array.size() > MAX_BATCH) {
        reader.fail("body", "must NOT have more than " + MAX_BATCH + " items");
      } else {
        for (int i = 0; i < array.size(); i++) {
          Object item = array.getValue(i);
          if (item instanceof JsonObject event) {
            events.add(read(event, "body/" + i, FIELDS, reader));
          } else {
            reader.fail("body/" + i, "must be object");
          }
        }
      }
    } else {
      reader.fail("body", "must be object or array");
    }
    reader.throwIfInvalid();
    return events;
  }

  /** An event-bus message: the event plus the account's {@code sid}, which the caller reads apart. */
  public static IncomingEvent fromBusMessage(JsonObject message) {
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    IncomingEvent event = read(message, "body", BUS_FIELDS, reader);
    reader.throwIfInvalid();
    return event;
  }

  private static IncomingEvent read(JsonObject json, String path, Set<String> fields, JsonFieldReader reader) {
    reader.onlyKnown(json, path, fields);
    String id = json.getValue("id") == null ? null : reader.boundedString(json.getValue("id"), path + "/id", 1, 128);
    String event = null;
    if (!json.containsKey("event")) {
      reader.required(path, "event");
    } else {
      event = reader.string(json.getValue("event"), path + "/event");
      if (event != null && !EVENT_NAME.matcher(event).matches()) {
        reader.fail(path + "/event", "must match pattern \"" + EVENT_NAME.pattern() + "\"");
      }
    }
    String channel = IncomingEvent.DEFAULT_CHANNEL;
    if (json.getValue("channel") != null) {
      channel = reader.string(json.getValue("channel"), path + "/channel");
      if (channel != null && !CHANNEL.matcher(channel).matches()) {
        reader.fail(path + "/channel", "must match pattern \"" + CHANNEL.pattern() + "\"");
      } else if (IncomingEvent.ENGINE_CHANNEL.equals(channel)) {
        reader.fail(path + "/channel", "must not be engine: that channel carries the engine's own events");
      }
    }
    String profileId = json.getValue("profile_id") == null ? null
        : reader.boundedString(json.getValue("profile_id"), path + "/profile_id", 1, 64);
    String orderingKey = json.getValue("ordering_key") == null ? null
        : reader.boundedString(json.getValue("ordering_key"), path + "/ordering_key", 1, MAX_ORDERING_KEY);
    JsonObject data = new JsonObject();
    Object rawData = json.getValue("data");
    if (rawData instanceof JsonObject object) {
      data = object;
      if (object.toBuffer().length() > MAX_DATA_BYTES) {
        reader.fail(path + "/data", "must NOT be larger than " + MAX_DATA_BYTES + " bytes");
      }
    } else if (rawData != null) {
      reader.fail(path + "/data", "must be object");
    }
    if (event == null || channel == null) {
      return null;
    }
    return new IncomingEvent(id, event, channel, profileId, data, orderingKey);
  }

  /** The 404 for an event addressed to a profile the account does not have. */
  public static ClientProblem unknownProfile(int index, String profileId, boolean batch) {
    return ClientProblem.notFound("No profile exists with this id",
        Violation.body((batch ? "body/" + index : "body") + "/profile_id names no profile of this account: " + profileId));
  }
}
