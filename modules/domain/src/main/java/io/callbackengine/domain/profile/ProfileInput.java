package io.callbackengine.domain.profile;

import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.template.VariablePath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a create or PATCH request body into a valid {@link ProfileSpec}, or throws one 400 listing every problem
 * (API.md §4). Input is lenient where Kaleyra is ({@code body}, {@code headers} and {@code dynamic_variables} may be
 * objects or strings holding one; {@code events} an array or one name) and strict everywhere else: unknown fields,
 * wrong types and out-of-range values are refused. {@code body_type} decides whether {@code body} is a JSON object or
 * a string template (§13); {@code auth} is read by {@link CallbackAuthInput} (§12).
 */
public final class ProfileInput {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  public static final int MAX_HEADERS = 32;
  public static final int MAX_HEADER_VALUE = 4096;
  public static final int MAX_EVENTS = 100;
  public static final int MAX_REPLACERS = 100;
  public static final int MAX_DYNAMIC_VARIABLES_BYTES = 16 * 1024;

  private static final Set<String> SPEC_FIELDS = Set.of("title", "http_method", "url", "body", "headers",
      "response_message", "enc", "channel", "events", "dynamic_variables", "replacers", "body_type", "auth", "policy");
  private static final Set<String> PATCH_FIELDS;
  private static final Pattern TITLE = Pattern.compile("[\\p{L}\\p{N} _-]+");
  private static final Pattern HAS_LETTER_OR_DIGIT = Pattern.compile(".*[\\p{L}\\p{N}].*");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection");
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  static {
    Set<String> patch = new LinkedHashSet<>(SPEC_FIELDS);
    patch.add("status");
    PATCH_FIELDS = Set.copyOf(patch);
  }

  /** A validated PATCH: the merged spec and the status asked for, if any. */
  public record ProfilePatch(ProfileSpec spec, Optional<ProfileStatus> status) {
  }

  private final CallbackUrlRule urlRule;
  private final CallbackAuthInput authInput;

  public ProfileInput(CallbackUrlRule urlRule) {
    this.urlRule = urlRule;
    this.authInput = new CallbackAuthInput(urlRule);
  }

  public ProfileSpec forCreate(JsonObject request) {
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    reader.onlyKnown(request, "body", SPEC_FIELDS);
    for (String field : List.of("title", "http_method", "url")) {
      if (!request.containsKey(field)) {
        reader.required("body", field);
      }
    }
    Draft draft = new Draft();
    readFields(request, draft, reader);
    if (draft.method != null && draft.method.carriesBody() && !request.containsKey("body")) {
      reader.required("body", "body");
    } else {
      checkBodyPresence(draft, reader);
    }
    checkBodyTypeAndAuth(draft, reader);
    if (draft.channel == ProfileChannel.SMS && !request.containsKey("events")) {
      reader.required("body", "events");
    } else {
      checkEvents(draft, reader);
    }
    reader.throwIfInvalid();
    return draft.toSpec();
  }

  public ProfilePatch forPatch(ProfileSpec current, JsonObject request) {
    JsonFieldReader reader = new JsonFieldReader(Violation.Location.BODY);
    reader.onlyKnown(request, "body", PATCH_FIELDS);
    Draft draft = Draft.of(current);
    readFields(request, draft, reader);
    if (draft.channel != current.channel()) {
      reader.fail("body/channel", "cannot be changed once the profile exists");
    }
    Optional<ProfileStatus> status = Optional.empty();
    if (request.containsKey("status")) {
      Integer code = reader.integer(request.getValue("status"), "body/status");
      if (code != null) {
        if (code == ProfileStatus.ACTIVE.code() || code == ProfileStatus.DISABLED.code()) {
          status = ProfileStatus.fromCode(code);
        } else {
          reader.fail("body/status", "must be equal to one of the allowed values: 1, 3");
        }
      }
    }
    checkBodyPresence(draft, reader);
    checkBodyTypeAndAuth(draft, reader);
    checkEvents(draft, reader);
    reader.throwIfInvalid();
    return new ProfilePatch(draft.toSpec(), status);
  }

  private void readFields(JsonObject request, Draft draft, JsonFieldReader reader) {
    // The body's shape depends on body_type, which may come after it or stay as stored: read it first.
    if (request.containsKey("body_type")) {
      draft.bodyType = bodyType(request.getValue("body_type"), "body/body_type", reader, draft.bodyType);
    }
    for (Map.Entry<String, Object> field : request) {
      Object value = field.getValue();
      String path = "body/" + field.getKey();
      switch (field.getKey()) {
        case "title" -> draft.title = title(value, path, reader);
        case "http_method" -> draft.method = method(value, path, reader);
        case "url" -> draft.url = url(value, path, reader);
        case "body" -> draft.readBody(value, path, reader);
        case "headers" -> draft.headers = value == null ? Map.of() : headers(value, path, reader);
        case "response_message" -> draft.responseMessage = value == null ? null : reader.boundedString(value, path, 0, 1024);
        case "enc" -> draft.enc = value == null ? null : EncryptionInput.read(value, path, reader);
        case "channel" -> draft.channel = channel(value, path, reader, draft.channel);
        case "events" -> draft.events = value == null ? null : events(value, path, reader);
        case "dynamic_variables" -> draft.dynamicVariables = value == null ? null : dynamicVariables(value, path, reader);
        case "replacers" -> draft.replacers = value == null ? Map.of() : replacers(value, path, reader);
        case "auth" -> draft.auth = value == null ? null : authInput.read(value, path, reader, draft.auth);
        case "policy" -> draft.policy = ProfilePolicyInput.read(value, path, reader, draft.policy);
        default -> { } // body_type was read first, status is read by forPatch; unknown fields were refused already
      }
    }
  }

  private static void checkBodyPresence(Draft draft, JsonFieldReader reader) {
    if (draft.method != null && draft.method.carriesBody() && !draft.hasBody() && !reader.hasViolations()) {
      reader.fail("body/body", "must NOT be null when http_method is " + draft.method);
    }
  }

  /**
   * A body kept from before must still fit the body type, a body type needs a method that sends a body, and the
   * {@code Authorization} header is the engine's when {@code auth} is set.
   */
  private static void checkBodyTypeAndAuth(Draft draft, JsonFieldReader reader) {
    if (reader.hasViolations()) {
      return;
    }
    boolean text = draft.bodyType != null && draft.bodyType.isTextTemplate();
    if (text && draft.body != null) {
      draft.body = null;
      reader.fail("body/body", "must be a string template when body_type is " + draft.bodyType.wireName()
          + "; send the new body with the new body_type");
    } else if (!text && draft.textBody != null) {
      draft.textBody = null;
      reader.fail("body/body", "must be a JSON object when body_type is "
          + (draft.bodyType == null ? "null (JSON)" : draft.bodyType.wireName())
          + "; send the new body with the new body_type");
    }
    if (draft.bodyType != null && draft.method != null && !draft.method.carriesBody()) {
      reader.fail("body/body_type", "must be null for " + draft.method
          + " profiles: their rendered body is sent as query parameters");
    }
    if (draft.auth != null) {
      draft.headers.keySet().stream().filter(h -> h.equalsIgnoreCase("authorization")).findFirst().ifPresent(h ->
          reader.fail("body/headers/" + h, "is set by auth; remove it from headers, or remove auth"));
    }
  }

  private static void checkEvents(Draft draft, JsonFieldReader reader) {
    if (draft.channel == ProfileChannel.SMS && draft.events == null && !reader.hasViolations()) {
      reader.fail("body/events", "must NOT be null when channel is sms");
    }
  }

  private static String title(Object value, String path, JsonFieldReader reader) {
    String title = reader.boundedString(value, path, 3, 100);
    if (title != null && (!TITLE.matcher(title).matches() || !HAS_LETTER_OR_DIGIT.matcher(title).matches())) {
      reader.fail(path, "must contain only letters, digits, spaces, '-' and '_', and at least one letter or digit");
      return null;
    }
    return title;
  }

  private static CallbackMethod method(Object value, String path, JsonFieldReader reader) {
    String name = reader.string(value, path);
    if (name == null) {
      return null;
    }
    Optional<CallbackMethod> method = CallbackMethod.fromName(name);
    if (method.isEmpty()) {
      reader.fail(path, "must be equal to one of the allowed values: " + String.join(", ", CallbackMethod.names()));
    }
    return method.orElse(null);
  }

  private String url(Object value, String path, JsonFieldReader reader) {
    String url = reader.string(value, path);
    if (url == null) {
      return null;
    }
    Optional<String> problem = urlRule.problem(url);
    problem.ifPresent(p -> reader.fail(path, p));
    return problem.isPresent() ? null : url;
  }

  private static BodyType bodyType(Object value, String path, JsonFieldReader reader, BodyType fallback) {
    if (value == null) {
      return null;
    }
    String name = reader.string(value, path);
    if (name == null) {
      return fallback;
    }
    Optional<BodyType> type = BodyType.fromWireName(name);
    if (type.isEmpty()) {
      reader.fail(path, "must be null or equal to one of the allowed values: " + String.join(", ", BodyType.wireNames()));
      return fallback;
    }
    return type.get() == BodyType.JSON ? null : type.get();
  }

  private static String textBody(Object value, String path, JsonFieldReader reader) {
    String text = reader.string(value, path);
    if (text != null && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      reader.fail(path, "must NOT be larger than " + MAX_BODY_BYTES + " bytes");
      return null;
    }
    return text;
  }

  private static JsonObject body(Object value, String path, JsonFieldReader reader) {
    JsonObject body = reader.objectOrObjectText(value, path);
    if (body != null && body.toBuffer().length() > MAX_BODY_BYTES) {
      reader.fail(path, "must NOT be larger than " + MAX_BODY_BYTES + " bytes");
      return null;
    }
    return body;
  }

  static Map<String, String> headers(Object value, String path, JsonFieldReader reader) {
    JsonObject headers = reader.objectOrObjectText(value, path);
    if (headers == null) {
      return null;
    }
    if (headers.size() > MAX_HEADERS) {
      reader.fail(path, "must NOT have more than " + MAX_HEADERS + " properties");
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> header : headers) {
      String name = header.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      String headerPath = path + "/" + name;
      if (!HEADER_NAME.matcher(name).matches()) {
        reader.fail(path, "must have property names that are HTTP header tokens, not '" + printable(name) + "'");
      } else if (RESERVED_HEADERS.contains(lower) || lower.startsWith("webhook-")) {
        reader.fail(headerPath, "is set by the engine and cannot be configured");
      }
      String headerValue = reader.boundedString(header.getValue(), headerPath, 0, MAX_HEADER_VALUE);
      if (headerValue != null && headerValue.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        reader.fail(headerPath, "must NOT contain CR, LF or NUL characters");
      }
      result.put(name, headerValue);
    }
    return result;
  }

  private static ProfileChannel channel(Object value, String path, JsonFieldReader reader, ProfileChannel fallback) {
    String name = reader.string(value, path);
    if (name == null) {
      return fallback;
    }
    Optional<ProfileChannel> channel = ProfileChannel.fromWireName(name);
    if (channel.isEmpty()) {
      reader.fail(path, "must be equal to one of the allowed values: " + String.join(", ", ProfileChannel.wireNames()));
    }
    return channel.orElse(fallback);
  }

  private static List<String> events(Object value, String path, JsonFieldReader reader) {
    Object list = value instanceof String single ? new JsonArray().add(single) : value;
    List<String> events = names(list, path, reader, EVENT_NAME, MAX_EVENTS);
    if (events != null && events.isEmpty()) {
      reader.fail(path, "must NOT have fewer than 1 items");
      return null;
    }
    return events;
  }

  static List<String> names(Object value, String path, JsonFieldReader reader, Pattern pattern, int max) {
    JsonArray array = reader.array(value, path);
    if (array == null) {
      return null;
    }
    if (array.size() > max) {
      reader.fail(path, "must NOT have more than " + max + " items");
      return null;
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String name = reader.string(array.getValue(i), path + "/" + i);
      if (name != null && !pattern.matcher(name).matches()) {
        reader.fail(path + "/" + i, "must match pattern \"" + pattern.pattern() + "\"");
      } else if (name != null) {
        names.add(name);
      }
    }
    return new ArrayList<>(names);
  }

  private static JsonObject dynamicVariables(Object value, String path, JsonFieldReader reader) {
    JsonObject variables = reader.objectOrObjectText(value, path);
    if (variables != null && variables.toBuffer().length() > MAX_DYNAMIC_VARIABLES_BYTES) {
      reader.fail(path, "must NOT be larger than " + MAX_DYNAMIC_VARIABLES_BYTES + " bytes");
      return null;
    }
    return variables;
  }

  private static Map<String, String> replacers(Object value, String path, JsonFieldReader reader) {
    JsonObject mapping = reader.objectOrObjectText(value, path);
    if (mapping == null) {
      return null;
    }
    if (mapping.size() > MAX_REPLACERS) {
      reader.fail(path, "must NOT have more than " + MAX_REPLACERS + " properties");
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : mapping) {
      String entryPath = path + "/" + entry.getKey();
      if (VariablePath.parse(entry.getKey()).isEmpty()) {
        reader.fail(path, "must have property names that are placeholder names such as 'phone' or 'address.city', not '"
            + printable(entry.getKey()) + "'");
      }
      String target = reader.string(entry.getValue(), entryPath);
      if (target != null && VariablePath.parse(target).isEmpty()) {
        reader.fail(entryPath, "must be a path into the event data such as 'status', 'address.city' or 'parts[0]'");
      }
      result.put(entry.getKey(), target);
    }
    return result;
  }

  private static String printable(String name) {
    String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return shown.replaceAll("[\\p{Cntrl}]", "?");
  }

  /** The profile being assembled; fields stay null where a read failed, which only matters if no violation was noted. */
  private static final class Draft {
    String title;
    CallbackMethod method;
    String url;
    Map<String, String> headers = Map.of();
    JsonObject body;
    String responseMessage;
    Encryption enc;
    ProfileChannel channel = ProfileChannel.DEFAULT;
    List<String> events;
    JsonObject dynamicVariables;
    Map<String, String> replacers = Map.of();
    BodyType bodyType;
    String textBody;
    CallbackAuth auth;
    ProfilePolicy policy = ProfilePolicy.DEFAULTS;

    boolean hasBody() {
      return body != null || textBody != null;
    }

    /** A string template for text body types, else a JSON object (or a string holding one). */
    void readBody(Object value, String path, JsonFieldReader reader) {
      body = null;
      textBody = null;
      if (value == null) {
        return;
      }
      if (bodyType != null && bodyType.isTextTemplate()) {
        textBody = textBody(value, path, reader);
      } else {
        body = body(value, path, reader);
      }
    }

    static Draft of(ProfileSpec spec) {
      Draft d = new Draft();
      d.title = spec.title();
      d.method = spec.httpMethod();
      d.url = spec.url();
      d.headers = spec.headers();
      d.body = spec.body();
      d.responseMessage = spec.responseMessage();
      d.enc = spec.enc();
      d.channel = spec.channel();
      d.events = spec.events();
      d.dynamicVariables = spec.dynamicVariables();
      d.replacers = spec.replacers();
      d.bodyType = spec.declaredBodyType();
      d.textBody = spec.textBody();
      d.auth = spec.auth();
      d.policy = spec.policy();
      return d;
    }

    ProfileSpec toSpec() {
      return new ProfileSpec(title, method, url, headers, body, responseMessage, enc, channel, events,
          dynamicVariables, replacers, bodyType, textBody, auth, policy);
    }
  }
}
