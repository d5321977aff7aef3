package io.callbackengine.domain.signing;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A profile's Standard Webhooks signing secret: {@code whsec_} followed by the standard base64 of the
 * key bytes. The engine generates 32 random bytes; secrets of other lengths are read as they are, since the
 * Standard Webhooks specification only recommends 24 to 64 bytes.
 *
 * <p>The key never appears in {@link #toString()} or in exception messages, so a secret that ends up in a
 * log line or an error response discloses nothing. {@link #value()} is the one deliberate way out: for
 * storage and for showing the secret to its account.
 */
public final class SigningSecret {

  private static final String PREFIX = "whsec_";
  private static final int GENERATED_BYTES = 32;

  private final byte[] key;

  private SigningSecret(byte[] key) {
    this.key = key;
  }

  /** A new secret of 32 bytes from the given source of randomness. */
  public static SigningSecret generate(SecureRandom random) {
    byte[] key = new byte[GENERATED_BYTES];
    random.nextBytes(key);
    return new SigningSecret(key);
  }

  /**
   * @param text {@code whsec_} followed by standard base64
   * @throws IllegalArgumentException when the prefix is missing or the rest is not base64 of at least one
   *     byte; the message never repeats the text
   */
  public static SigningSecret parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a signing secret must start with " + PREFIX);
    }
    String encoded = text.substring(PREFIX.length());
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException notBase64) {
      key = null; // the decoder's message quotes the offending character, so it is not passed on
    }
    // The decoder ignores stray low bits in the last character; insisting on the canonical form keeps
    // one key to one text, so value() gives back what was parsed (padding aside).
    if (key == null || !Base64.getEncoder().withoutPadding().encodeToString(key).equals(encoded.replace("=", ""))) {
      throw new IllegalArgumentException("a signing secret must be " + PREFIX + " followed by standard base64");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("a signing secret must not be empty after " + PREFIX);
    }
    return new SigningSecret(key);
  }

  /** The secret as {@code whsec_<base64>}: for storage and for showing to the account it belongs to. */
  public String value() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The HMAC key; a copy, so callers cannot change this secret. */
  public byte[] keyBytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object other) {
    // Constant time, as for any comparison of key material.
    return other instanceof SigningSecret that && MessageDigest.isEqual(key, that.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Masked: {@code whsec_…}, with no key material. */
  @Override
  public String toString() {
    return PREFIX + "…";
  }
}
