package io.callbackengine.domain.crypto;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The AES variants a callback profile may name in its {@code enc.algo} (API §6).
 *
 * <p>CFB is full-block CFB (CFB128, OpenSSL's {@code aes-*-cfb}) without padding; GCM uses a 128-bit
 * tag and no associated data. The wire names are matched exactly and case-sensitively: {@code
 * "AES-128-CFB"} is known, {@code "aes-128-cfb"} is not, so what a profile stores is always what it
 * was validated against.
 */
public enum CipherAlgorithm {
  AES_128_CFB("AES-128-CFB", 16, false),
  AES_192_CFB("AES-192-CFB", 24, false),
  AES_256_CFB("AES-256-CFB", 32, false),
  AES_128_GCM("AES-128-GCM", 16, true),
  AES_192_GCM("AES-192-GCM", 24, true),
  AES_256_GCM("AES-256-GCM", 32, true);

  private final String wireName;
  private final int keyBytes;
  private final boolean gcm;

  CipherAlgorithm(String wireName, int keyBytes, boolean gcm) {
    this.wireName = wireName;
    this.keyBytes = keyBytes;
    this.gcm = gcm;
  }

  /** The name used in the profile API, e.g. {@code "AES-128-CFB"}. */
  public String wireName() {
    return wireName;
  }

  /** The key length this variant needs, in bytes: 16, 24 or 32. */
  public int keyBytes() {
    return keyBytes;
  }

  /** Whether this is an authenticated (GCM) variant, whose ciphertext carries a 16-byte tag. */
  public boolean isGcm() {
    return gcm;
  }

  /** The algorithm with exactly this wire name (case-sensitive), or empty. */
  public static Optional<CipherAlgorithm> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(a -> a.wireName.equals(wireName)).findFirst();
  }

  /** Every wire name, in declaration order, for error messages such as "must be one of …". */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(CipherAlgorithm::wireName).toList();
  }
}
