package io.callbackengine.domain.template;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables one rendering can see, and the placeholders it asked for but could not find.
 *
 * <p>Lookup of {@code <name>}: the path is the one the profile's {@code replacers} mapping gives
 * for {@code name}, or {@code name} itself when unmapped. That path is read in the event's data,
 * then in the profile's {@code dynamic_variables}, then taken as the exact name of a built-in. So
 * a mapping renames a placeholder everywhere ({@code {"when": "timestamp"}} can alias a built-in),
 * and a mapped placeholder never falls back to its own name.
 *
 * <p>One instance per rendering; not thread-safe.
 */
final class VariableScope {

  private final JsonObject data;
  private final JsonObject dynamicVariables;
  private final Map<String, String> builtIns;
  private final Map<String, String> replacers;
  private Set<String> unknown;

  VariableScope(EventVariables variables, CallbackTemplate template) {
    this.data = variables.data();
    this.dynamicVariables = template.dynamicVariables();
    this.builtIns = variables.builtIns();
    this.replacers = template.replacers();
  }

  /** The value of placeholder {@code name}; empty, and noted as unknown, when nothing has it. */
  Optional<VariableValue> lookup(String name) {
    String pathText = replacers.getOrDefault(name, name);
    Optional<VariablePath> path = VariablePath.parse(pathText);
    if (path.isPresent()) {
      Optional<VariableValue> found = path.get().resolveIn(data);
      if (found.isEmpty() && dynamicVariables != null) {
        found = path.get().resolveIn(dynamicVariables);
      }
      if (found.isPresent()) {
        return found;
      }
    }
    String builtIn = builtIns.get(pathText);
    if (builtIn != null) {
      return Optional.of(new VariableValue(builtIn));
    }
    if (unknown == null) {
      unknown = new LinkedHashSet<>();
    }
    unknown.add(name);
    return Optional.empty();
  }

  /** The placeholders looked up so far that nothing resolved, in order of first lookup. */
  Set<String> unknown() {
    return unknown == null ? Set.of() : unknown;
  }
}
