package io.callbackengine.domain.profile;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.problem.JsonFieldReader;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a profile's {@code enc} (API.md §6): {@code algo} one of the six algorithms, {@code key} of exactly the
 * algorithm's key size in UTF-8 bytes, an optional 16-byte {@code IV} (none: a random IV per value), and optional
 * {@code params}, the top-level body fields to encrypt.
 */
final class EncryptionInput {

  private static final Set<String> FIELDS = Set.of("algo", "key", "IV", "params");
  private static final int MAX_PARAMS = 100;
  /** Top-level body field names as {@code enc.params} lists them: any non-empty text. */
  private static final Pattern BODY_FIELD_NAME = Pattern.compile("\\S.{0,199}", Pattern.DOTALL);

  private EncryptionInput() {
  }

  static Encryption read(Object value, String path, JsonFieldReader reader) {
    if (!(value instanceof JsonObject enc)) {
      reader.fail(path, "must be object");
      return null;
    }
    int before = reader.violations().size();
    reader.onlyKnown(enc, path, FIELDS);
    CipherAlgorithm algorithm = null;
    if (!enc.containsKey("algo")) {
      reader.required(path, "algo");
    } else {
      String name = reader.string(enc.getValue("algo"), path + "/algo");
      if (name != null) {
        algorithm = CipherAlgorithm.fromWireName(name).orElse(null);
        if (algorithm == null) {
          reader.fail(path + "/algo", "must be equal to one of the allowed values: "
              + String.join(", ", CipherAlgorithm.wireNames()));
        }
      }
    }
    String key = null;
    if (!enc.containsKey("key")) {
      reader.required(path, "key");
    } else {
      key = reader.string(enc.getValue("key"), path + "/key");
      if (key != null && algorithm != null && utf8Length(key) != algorithm.keyBytes()) {
        reader.fail(path + "/key", "must be " + algorithm.keyBytes() + " bytes long (UTF-8) for " + algorithm.wireName());
      }
    }
    String iv = null;
    if (enc.getValue("IV") != null) {
      iv = reader.string(enc.getValue("IV"), path + "/IV");
      if (iv != null && utf8Length(iv) != 16) {
        reader.fail(path + "/IV", "must be 16 bytes long (UTF-8)");
      }
    }
    List<String> params = null;
    if (enc.getValue("params") != null) {
      params = ProfileInput.names(enc.getValue("params"), path + "/params", reader, BODY_FIELD_NAME, MAX_PARAMS);
    }
    return reader.violations().size() > before ? null : new Encryption(algorithm, key, iv, params);
  }


  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
