package io.callbackengine.app.cli;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.PayloadCipher;
import io.callbackengine.domain.crypto.PayloadDecryptionException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * For receivers: decrypts one encrypted callback value, or every encrypted field of a whole JSON or urlencoded
 * callback body, as the profile's {@code enc} describes it. (In XML, HTML and text bodies an encrypted value is one
 * base64 string where its placeholder stood: a receiver takes it out with its own parser and decrypts it alone.)
 */
public final class DecryptCommand implements Command {

  @Override
  public String name() {
    return "decrypt";
  }

  @Override
  public String summary() {
    return "decrypt one encrypted value, or a whole body's encrypted fields (receivers)";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar decrypt --algo ALGO --key KEY [--iv IV] VALUE
               java -jar callback-engine.jar decrypt --algo ALGO --key KEY [--iv IV] --body FILE
                    [--body-type json|urlencoded] [--params a,b]
          --algo       one of %s
          --key        the profile's enc.key (16, 24 or 32 characters, matching the algorithm)
          --iv         the profile's enc.IV (16 characters); leave it out when the profile has none (random IV per value)
          VALUE        the base64 value as the callback carried it
          --body       a whole callback body (- for standard input): its encrypted fields are decrypted
          --body-type  json (the default) or urlencoded, as the profile's body_type
          --params     the profile's enc.params (comma-separated); leave it out when the profile has none (every field)
        Prints the plaintext: the value, or the body with its fields decrypted (a urlencoded body as one
        name=value line per field, decoded). Exit status 1 when a value does not decrypt with that key (or tag, for GCM).
        """.formatted(String.join(", ", CipherAlgorithm.wireNames()));
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) {
    CipherAlgorithm algorithm = CipherAlgorithm.fromWireName(args.required("--algo"))
        .orElseThrow(() -> new Arguments.UsageException("--algo must be one of " + String.join(", ", CipherAlgorithm.wireNames())));
    List<String> values = args.positional();
    Optional<String> body = args.option("--body");
    if (body.isEmpty() && values.size() != 1) {
      throw new Arguments.UsageException("give exactly one VALUE to decrypt, or --body FILE");
    }
    if (body.isPresent() && !values.isEmpty()) {
      throw new Arguments.UsageException("give either a VALUE or --body FILE, not both");
    }
    byte[] key = args.required("--key").getBytes(StandardCharsets.UTF_8);
    byte[] iv = args.option("--iv").map(v -> v.getBytes(StandardCharsets.UTF_8)).orElse(null);
    PayloadCipher cipher;
    try {
      cipher = new PayloadCipher(algorithm, key, iv, new SecureRandom());
    } catch (IllegalArgumentException e) {
      throw new Arguments.UsageException(e.getMessage());
    }
    try {
      if (body.isPresent()) {
        out.println(decryptBody(cipher, read(body.get()), args.option("--body-type").orElse("json"),
            args.option("--params").map(p -> List.of(p.split(","))).orElse(null)));
      } else {
        out.println(plain(cipher, values.get(0)));
      }
      return 0;
    } catch (PayloadDecryptionException e) {
      err.println("Cannot decrypt: " + e.getMessage());
      return 1;
    }
  }

  private static String decryptBody(PayloadCipher cipher, String body, String type, List<String> params) {
    switch (type) {
      case "json" -> {
        JsonObject fields;
        try {
          fields = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
          throw new Arguments.UsageException("--body is not a JSON object");
        }
        for (String name : params == null ? List.copyOf(fields.fieldNames()) : params) {
          if (fields.getValue(name) instanceof String value) {
            fields.put(name, plain(cipher, value));
          }
        }
        return fields.encodePrettily();
      }
      case "urlencoded" -> {
        StringBuilder lines = new StringBuilder();
        for (String pair : body.strip().split("&")) {
          int equals = pair.indexOf('=');
          String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
          String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
          boolean encrypted = params == null || params.contains(name);
          lines.append(lines.length() == 0 ? "" : "\n").append(name).append('=')
              .append(encrypted && !value.isEmpty() ? plain(cipher, value) : value);
        }
        return lines.toString();
      }
      default -> throw new Arguments.UsageException("--body-type must be json or urlencoded; in xml, html and text "
          + "bodies take each encrypted value out with your parser and decrypt it alone");
    }
  }

  private static String plain(PayloadCipher cipher, String value) {
    return new String(cipher.decrypt(value), StandardCharsets.UTF_8);
  }

  private static String read(String file) {
    try {
      byte[] bytes = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Arguments.UsageException("cannot read --body " + file + ": " + e.getMessage());
    }
  }
}
