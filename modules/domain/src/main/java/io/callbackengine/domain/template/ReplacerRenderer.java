package io.callbackengine.domain.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Renders one callback: replaces every {@code <name>} placeholder of a {@link CallbackTemplate}
 * with the event's variables (lookup order in {@link VariableScope}).
 *
 * <p>How a value is inserted depends on where the placeholder stands:
 * <ul>
 *   <li>a body string value that is exactly one placeholder takes the variable's JSON type
 *       (string, number, boolean, object, array, or JSON null); an unknown one becomes {@code ""};</li>
 *   <li>inside a longer body string, and in {@code response_message}, it is inserted as text
 *       ({@link VariableValue#asText()}: JSON null and unknown as empty text);</li>
 *   <li>in the URL, as text percent-encoded (RFC 3986 unreserved characters kept), so a value can
 *       never add a path segment, a query parameter or a fragment; the template's own text is kept;</li>
 *   <li>in a header value, as text with CR and LF removed, so a value cannot inject a header;</li>
 *   <li>in a text body (XML, HTML, text), only where the name is declared, through the caller's
 *       {@link TextBodyValues}, which escapes (and encrypts) for the body type.</li>
 * </ul>
 * Body member names and header names are never rendered. The template is never mutated: the body
 * is rebuilt as new objects; strings without a placeholder are reused as they are.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReplacerRenderer {

  private enum Target { URL, HEADER, TEXT }

  /** Renders {@code template} with {@code variables}; a text body's values are inserted as they are. */
  public RenderedCallback render(CallbackTemplate template, EventVariables variables) {
    return render(template, variables, (placeholder, value) -> value);
  }

  /**
   * Renders {@code template} with {@code variables}, inserting a text body's values through {@code textValues}.
   * In a text body only {@linkplain CallbackTemplate#declares declared} names are placeholders; every other
   * {@code <…>} is sent as written.
   */
  public RenderedCallback render(CallbackTemplate template, EventVariables variables, TextBodyValues textValues) {
    Rendering rendering = new Rendering(new VariableScope(variables, template));
    String url = rendering.text(template.url(), Target.URL);
    Map<String, String> headers = new LinkedHashMap<>();
    template.headers().forEach((name, value) -> headers.put(name, rendering.text(value, Target.HEADER)));
    JsonObject body = template.body() == null ? null : rendering.object(template.body().getMap());
    String textBody = rendering.textBody(template, textValues);
    String responseMessage = rendering.text(template.responseMessage(), Target.TEXT);
    return new RenderedCallback(url, headers, body, textBody, responseMessage, rendering.scope.unknown());
  }

  /**
   * {@code url} with the top-level members of {@code body} appended as query parameters, as GET
   * and DELETE callbacks send their body. Appends after {@code ?}, or after {@code &} when the URL
   * already has a query; a {@code #fragment} stays at the end. Names and values are
   * percent-encoded; a string value is sent as it is, JSON null as empty, any other value as
   * compact JSON. A {@code null} or empty body leaves the URL unchanged.
   */
  public static String withQueryParameters(String url, JsonObject body) {
    if (body == null || body.isEmpty()) {
      return url;
    }
    int hash = url.indexOf('#');
    int end = hash < 0 ? url.length() : hash;
    StringBuilder out = new StringBuilder(url.length() + 32 * body.size());
    out.append(url, 0, end);
    int question = url.indexOf('?');
    if (question < 0 || question > end) {
      out.append('?');
    } else if (end > question + 1 && url.charAt(end - 1) != '&') {
      out.append('&');
    }
    boolean first = true;
    for (Map.Entry<String, Object> member : body.getMap().entrySet()) {
      if (!first) {
        out.append('&');
      }
      first = false;
      PercentEncoding.append(out, member.getKey());
      out.append('=');
      PercentEncoding.append(out, new VariableValue(member.getValue()).asText());
    }
    out.append(url, end, url.length());
    return out.toString();
  }

  /** The state of one rendering: its scope and one matcher reused for every string. */
  private static final class Rendering {
    private final VariableScope scope;
    private final Matcher matcher = Placeholders.PATTERN.matcher("");

    Rendering(VariableScope scope) {
      this.scope = scope;
    }

    private String text(String template, Target target) {
      if (template == null || template.indexOf('<') < 0) {
        return template;
      }
      matcher.reset(template);
      if (!matcher.find()) {
        return template;
      }
      StringBuilder out = new StringBuilder(template.length() + 32);
      int last = 0;
      do {
        out.append(template, last, matcher.start());
        Optional<VariableValue> value = scope.lookup(matcher.group(1));
        if (value.isPresent()) {
          insert(out, value.get().asText(), target);
        }
        last = matcher.end();
      } while (matcher.find());
      return out.append(template, last, template.length()).toString();
    }

    private String textBody(CallbackTemplate template, TextBodyValues values) {
      String text = template.textBody();
      if (text == null || text.indexOf('<') < 0) {
        return text;
      }
      matcher.reset(text);
      StringBuilder out = new StringBuilder(text.length() + 64);
      int last = 0;
      while (matcher.find()) {
        String name = matcher.group(1);
        if (template.declares(name)) {
          out.append(text, last, matcher.start());
          Optional<VariableValue> value = scope.lookup(name);
          if (value.isPresent()) {
            out.append(values.insert(name, value.get().asText()));
          }
          last = matcher.end();
        }
      }
      return out.append(text, last, text.length()).toString();
    }

    private JsonObject object(Map<String, Object> template) {
      Map<String, Object> rendered = new LinkedHashMap<>(Math.max(4, template.size() * 4 / 3 + 1));
      for (Map.Entry<String, Object> member : template.entrySet()) {
        rendered.put(member.getKey(), value(member.getValue()));
      }
      return new JsonObject(rendered);
    }

    private JsonArray array(List<?> template) {
      List<Object> rendered = new ArrayList<>(template.size());
      for (Object element : template) {
        rendered.add(value(element));
      }
      return new JsonArray(rendered);
    }

    @SuppressWarnings("unchecked")
    private Object value(Object template) {
      if (template instanceof String text) {
        return bodyString(text);
      }
      if (template instanceof JsonObject object) {
        return object(object.getMap());
      }
      if (template instanceof JsonArray array) {
        return array(array.getList());
      }
      // Vert.x lets a JsonObject hold plain maps and lists; they are JSON all the same.
      if (template instanceof Map<?, ?> map) {
        return object((Map<String, Object>) map);
      }
      if (template instanceof List<?> list) {
        return array(list);
      }
      return template; // numbers, booleans, null: immutable, safe to share
    }

    private Object bodyString(String template) {
      if (template.indexOf('<') < 0) {
        return template;
      }
      matcher.reset(template);
      if (!matcher.matches()) {
        return text(template, Target.TEXT);
      }
      Optional<VariableValue> value = scope.lookup(matcher.group(1));
      if (value.isEmpty()) {
        return "";
      }
      Object typed = value.get().value();
      // Copied so the rendered body shares nothing mutable with the event's data.
      if (typed instanceof JsonObject object) {
        return object.copy();
      }
      if (typed instanceof JsonArray array) {
        return array.copy();
      }
      return typed;
    }

    private static void insert(StringBuilder out, String value, Target target) {
      switch (target) {
        case URL -> PercentEncoding.append(out, value);
        case HEADER -> {
          for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\r' && c != '\n') {
              out.append(c);
            }
          }
        }
        case TEXT -> out.append(value);
      }
    }
  }
}
