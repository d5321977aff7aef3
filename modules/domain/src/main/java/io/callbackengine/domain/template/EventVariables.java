package io.callbackengine.domain.template;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What one event offers to placeholders: its {@code data} and the built-in variables.
 *
 * @param data     the event's data; {@code null} is taken as an empty object
 * @param builtIns built-in name → value, see {@link #BUILT_IN_NAMES}
 */
public record EventVariables(JsonObject data, Map<String, String> builtIns) {

  /** The built-ins every event provides; they are looked up last, by exact name. */
  public static final List<String> BUILT_IN_NAMES =
      List.of("event", "event_id", "profile_id", "sid", "timestamp");

  public EventVariables {
    data = data == null ? new JsonObject() : data;
    builtIns = builtIns == null ? Map.of() : Map.copyOf(builtIns);
  }
}
