package io.callbackengine.dispatcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578) for profiles whose headers ask for it: each top-level body field is
 * one form field, strings as they are and other values as compact JSON.
 */
final class MultipartForm {

  private MultipartForm() {
  }

  static Buffer encode(JsonObject body, String boundary) {
    Buffer out = Buffer.buffer();
    for (Map.Entry<String, Object> field : body) {
      Object value = field.getValue();
      String text = value instanceof String s ? s : value == null ? "" : Json.encode(value);
      out.appendString("--").appendString(boundary).appendString("\r\n")
          .appendString("Content-Disposition: form-data; name=\"")
          .appendString(field.getKey().replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A"))
          .appendString("\"\r\n\r\n")
          .appendString(text).appendString("\r\n");
    }
    return out.appendString("--").appendString(boundary).appendString("--\r\n");
  }
}
