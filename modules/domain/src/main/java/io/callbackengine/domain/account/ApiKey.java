package io.callbackengine.domain.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An api key as stored: its id, a short prefix that helps people tell keys apart, and the SHA-256 of the key.
 * The key itself exists only in {@link Issued}, shown once. A fast hash is right here: keys carry 172 bits of
 * randomness, so there is nothing to brute-force, and every request checks one.
 */
public record ApiKey(String keyId, String sid, String prefix, byte[] hash, Instant createdAt, Instant revokedAt) {

  /** {@code A} and 29 characters from 62: about 172 bits of randomness, the Kaleyra shape. */
  public static final int LENGTH = 30;
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int PREFIX_LENGTH = 6;

  public ApiKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(sid, "sid");
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /** A freshly issued key: the plaintext to show once, and what to store. */
  public record Issued(String plaintext, ApiKey stored) {
    @Override
    public String toString() {
      return "Issued[keyId=" + stored.keyId() + ", prefix=" + stored.prefix() + "]";
    }
  }

  public static Issued issue(String sid, SecureRandom random, Instant now) {
    StringBuilder key = new StringBuilder(LENGTH).append('A');
    for (int i = 1; i < LENGTH; i++) {
      key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    byte[] id = new byte[8];
    random.nextBytes(id);
    String plaintext = key.toString();
    ApiKey stored = new ApiKey("key_" + HexFormat.of().formatHex(id), sid, plaintext.substring(0, PREFIX_LENGTH),
        hashOf(plaintext), now, null);
    return new Issued(plaintext, stored);
  }

  /** The stored form of a key: its SHA-256. Every API request hashes its key, so each thread keeps a digest. */
  public static byte[] hashOf(String plaintext) {
    return SHA_256.get().digest(plaintext.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ApiKey[keyId=" + keyId + ", sid=" + sid + ", prefix=" + prefix + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && keyId.equals(other.keyId);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }
}
