package io.callbackengine.app.cli;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.PayloadCipher;
import io.callbackengine.domain.crypto.PayloadDecryptionException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/** For receivers: decrypts one encrypted callback value, as the profile's {@code enc} describes it. */
public final class DecryptCommand implements Command {

  @Override
  public String name() {
    return "decrypt";
  }

  @Override
  public String summary() {
    return "decrypt one encrypted value of a callback (receivers)";
  }

  @Override
  public String usage() {
    return """
        Usage: java -jar callback-engine.jar decrypt --algo ALGO --key KEY [--iv IV] VALUE
          --algo  one of %s
          --key   the profile's enc.key (16, 24 or 32 characters, matching the algorithm)
          --iv    the profile's enc.IV (16 characters); leave it out when the profile has none (random IV per value)
          VALUE   the base64 value as the callback carried it
        Prints the plaintext. Exit status 1 when the value does not decrypt with that key (or tag, for GCM).
        """.formatted(String.join(", ", CipherAlgorithm.wireNames()));
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) {
    CipherAlgorithm algorithm = CipherAlgorithm.fromWireName(args.required("--algo"))
        .orElseThrow(() -> new Arguments.UsageException("--algo must be one of " + String.join(", ", CipherAlgorithm.wireNames())));
    List<String> values = args.positional();
    if (values.size() != 1) {
      throw new Arguments.UsageException("give exactly one VALUE to decrypt");
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
      out.println(new String(cipher.decrypt(values.get(0)), StandardCharsets.UTF_8));
      return 0;
    } catch (PayloadDecryptionException e) {
      err.println("Cannot decrypt: " + e.getMessage());
      return 1;
    }
  }
}
