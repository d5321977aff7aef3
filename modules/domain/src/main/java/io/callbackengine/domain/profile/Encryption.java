package io.callbackengine.domain.profile;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.PayloadCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * A profile's {@code enc}: which algorithm, the key and optional fixed IV (as the account typed them), and the
 * top-level body fields to encrypt ({@code null}: all of them). Without an IV every value gets a fresh random one.
 * {@link #toString()} never shows the key or IV.
 */
public record Encryption(CipherAlgorithm algorithm, String key, String iv, List<String> params) {

  public Encryption {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    params = params == null ? null : List.copyOf(params);
  }

  public PayloadCipher cipher(SecureRandom random) {
    return new PayloadCipher(algorithm, key.getBytes(StandardCharsets.UTF_8),
        iv == null ? null : iv.getBytes(StandardCharsets.UTF_8), random);
  }

  @Override
  public String toString() {
    return "Encryption[" + algorithm.wireName() + (iv == null ? ", random IV" : ", fixed IV") + ", params=" + params + "]";
  }
}
