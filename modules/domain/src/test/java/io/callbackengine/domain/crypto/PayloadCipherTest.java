package io.callbackengine.domain.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** PayloadCipher against JCE (an independent AES implementation) and against vectors checked in as literals. */
class PayloadCipherTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] IV = "POxxxxxxxxxxxxLY".getBytes(UTF_8);
  private static final byte[] VECTOR_PLAINTEXT = "{\"status\":\"delivered\",\"code\":200}".getBytes(UTF_8);
  /** Lengths around block boundaries: CFB must not pad, GCM must handle partial blocks. */
  private static final List<Integer> LENGTHS = List.of(0, 1, 15, 16, 17, 33, 1000);

  static byte[] keyFor(CipherAlgorithm algorithm) {
    String key = "K1" + "x".repeat(algorithm.keyBytes() - 4) + "2P";
    return key.getBytes(UTF_8);
  }

  /** The same operation through JCE: "AES/CFB/NoPadding" is full-block CFB128, like OpenSSL's aes-*-cfb. */
  static byte[] jce(int mode, CipherAlgorithm algorithm, byte[] key, byte[] iv, byte[] input)
      throws GeneralSecurityException {
    SecretKeySpec spec = new SecretKeySpec(key, "AES");
    Cipher cipher;
    if (algorithm.isGcm()) {
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, spec, new GCMParameterSpec(128, iv));
    } else {
      cipher = Cipher.getInstance("AES/CFB/NoPadding");
      cipher.init(mode, spec, new IvParameterSpec(iv));
    }
    return cipher.doFinal(input);
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @EnumSource(CipherAlgorithm.class)
  void fixedIvCiphertextEqualsJceAndDecryptsBack(CipherAlgorithm algorithm) throws Exception {
    byte[] key = keyFor(algorithm);
    PayloadCipher cipher = new PayloadCipher(algorithm, key, IV, RANDOM);
    for (int length : LENGTHS) {
      byte[] plaintext = randomBytes(length);
      String encrypted = cipher.encrypt(plaintext);

      byte[] expected = jce(Cipher.ENCRYPT_MODE, algorithm, key, IV, plaintext);
      assertThat(Base64.getDecoder().decode(encrypted)).as("%s, %d bytes", algorithm, length).isEqualTo(expected);
      assertThat(expected).hasSize(length + (algorithm.isGcm() ? 16 : 0));
      assertThat(cipher.decrypt(encrypted)).isEqualTo(plaintext);
    }
  }

  // Computed once with JCE and checked in, so a change breaking both implementations alike still fails here.
  @ParameterizedTest
  @CsvSource({
      "AES_128_CFB, TGDoWt6EjSzYZqayVnfBUlTlEM40nKkpRfi1SOlXuOau",
      "AES_192_CFB, C6eqEVdXmqRFx6G35G2uE2QeG/Eovvgsf10QlZlOTL1z",
      "AES_256_CFB, nve0JLmSOIO9yOLu4zheZcGE3PXA+ifjUNc7/i8BrzTR",
      "AES_128_GCM, C6fiZamAAZoBgebywCXnGIg4jYJa38qpU6m8EhedP10fJACaBWhVVQVEw7/SPHcdyA==",
      "AES_192_GCM, LLncbu058HC2LiaYikF61hI53AW+YSIanNvRiBYiZVzZW1GYkBrPVRqYRasdLQ8+uw==",
      "AES_256_GCM, 6EvcPKuXrYiZQi2AyqqAcoIsf4VJ9ayg8PyjHmUjnXn8iMVTobEIG90+UTXqJjHapg==",
  })
  void matchesCheckedInVector(CipherAlgorithm algorithm, String vector) throws Exception {
    byte[] key = keyFor(algorithm);
    PayloadCipher cipher = new PayloadCipher(algorithm, key, IV, RANDOM);

    assertThat(cipher.encrypt(VECTOR_PLAINTEXT)).isEqualTo(vector);
    assertThat(Base64.getEncoder().encodeToString(jce(Cipher.ENCRYPT_MODE, algorithm, key, IV, VECTOR_PLAINTEXT)))
        .isEqualTo(vector);
    assertThat(cipher.decrypt(vector)).isEqualTo(VECTOR_PLAINTEXT);
  }

  @ParameterizedTest
  @EnumSource(CipherAlgorithm.class)
  void randomIvModeUsesAFreshIvPerValueLaidOutAsIvThenCiphertext(CipherAlgorithm algorithm) throws Exception {
    byte[] key = keyFor(algorithm);
    PayloadCipher cipher = new PayloadCipher(algorithm, key, null, RANDOM);
    byte[] plaintext = VECTOR_PLAINTEXT;

    String first = cipher.encrypt(plaintext);
    String second = cipher.encrypt(plaintext);

    assertThat(first).isNotEqualTo(second);
    assertThat(cipher.decrypt(first)).isEqualTo(plaintext);
    assertThat(cipher.decrypt(second)).isEqualTo(plaintext);
    for (String encrypted : List.of(first, second)) {
      byte[] raw = Base64.getDecoder().decode(encrypted);
      assertThat(raw).hasSize(16 + plaintext.length + (algorithm.isGcm() ? 16 : 0));
      byte[] iv = Arrays.copyOf(raw, 16);
      byte[] rest = Arrays.copyOfRange(raw, 16, raw.length);
      assertThat(jce(Cipher.DECRYPT_MODE, algorithm, key, iv, rest)).isEqualTo(plaintext);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherAlgorithm.class, names = ".*_GCM", mode = EnumSource.Mode.MATCH_ALL)
  void alteredGcmValueIsRejected(CipherAlgorithm algorithm) {
    for (byte[] iv : Arrays.asList(IV, null)) {
      PayloadCipher cipher = new PayloadCipher(algorithm, keyFor(algorithm), iv, RANDOM);
      byte[] raw = Base64.getDecoder().decode(cipher.encrypt(VECTOR_PLAINTEXT));
      for (int position : new int[] {0, raw.length / 2, raw.length - 1}) {
        byte[] altered = raw.clone();
        altered[position] ^= 0x01;
        assertThatThrownBy(() -> cipher.decrypt(Base64.getEncoder().encodeToString(altered)))
            .isExactlyInstanceOf(PayloadDecryptionException.class)
            .hasMessageContaining("tag check failed");
      }
    }
  }

  @Test
  void gcmValueUnderAnotherKeyIsRejected() {
    PayloadCipher sender = new PayloadCipher(CipherAlgorithm.AES_256_GCM, keyFor(CipherAlgorithm.AES_256_GCM), IV,
        RANDOM);
    PayloadCipher receiver = new PayloadCipher(CipherAlgorithm.AES_256_GCM, randomBytes(32), IV, RANDOM);

    assertThatThrownBy(() -> receiver.decrypt(sender.encrypt(VECTOR_PLAINTEXT)))
        .isExactlyInstanceOf(PayloadDecryptionException.class);
  }

  @Test
  void badBase64IsRejected() {
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB, keyFor(CipherAlgorithm.AES_128_CFB), IV,
        RANDOM);

    for (String notBase64 : List.of("not base64!", "abc", "YWJj=", "-_-_")) {
      assertThatThrownBy(() -> cipher.decrypt(notBase64))
          .as(notBase64)
          .isExactlyInstanceOf(PayloadDecryptionException.class)
          .hasMessageContaining("base64");
    }
  }

  @Test
  void lineWrappedBase64IsAccepted() {
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB, keyFor(CipherAlgorithm.AES_128_CFB), IV,
        RANDOM);
    byte[] plaintext = randomBytes(100);
    String encrypted = cipher.encrypt(plaintext);
    String wrapped = encrypted.substring(0, 64) + "\n" + encrypted.substring(64) + "\n";

    assertThat(cipher.decrypt(wrapped)).isEqualTo(plaintext);
  }

  @Test
  void tooShortValueIsRejectedWithoutLeakingBouncyCastleExceptions() {
    PayloadCipher randomIvCfb = new PayloadCipher(CipherAlgorithm.AES_128_CFB, keyFor(CipherAlgorithm.AES_128_CFB),
        null, RANDOM);
    PayloadCipher fixedIvGcm = new PayloadCipher(CipherAlgorithm.AES_128_GCM, keyFor(CipherAlgorithm.AES_128_GCM),
        IV, RANDOM);
    PayloadCipher randomIvGcm = new PayloadCipher(CipherAlgorithm.AES_128_GCM, keyFor(CipherAlgorithm.AES_128_GCM),
        null, RANDOM);
    String fifteenBytes = Base64.getEncoder().encodeToString(new byte[15]);
    String thirtyOneBytes = Base64.getEncoder().encodeToString(new byte[31]);

    assertThatThrownBy(() -> randomIvCfb.decrypt(fifteenBytes))
        .isExactlyInstanceOf(PayloadDecryptionException.class).hasMessageContaining("at least 16 bytes");
    assertThatThrownBy(() -> fixedIvGcm.decrypt(fifteenBytes))
        .isExactlyInstanceOf(PayloadDecryptionException.class).hasMessageContaining("at least 16 bytes");
    assertThatThrownBy(() -> randomIvGcm.decrypt(thirtyOneBytes))
        .isExactlyInstanceOf(PayloadDecryptionException.class).hasMessageContaining("at least 32 bytes");
    // Exactly a tag's worth of zeros is long enough but not authentic.
    assertThatThrownBy(() -> fixedIvGcm.decrypt(Base64.getEncoder().encodeToString(new byte[16])))
        .isExactlyInstanceOf(PayloadDecryptionException.class);
  }

  @Test
  void emptyValueIsStillDecryptable() {
    for (CipherAlgorithm algorithm : CipherAlgorithm.values()) {
      for (byte[] iv : Arrays.asList(IV, null)) {
        PayloadCipher cipher = new PayloadCipher(algorithm, keyFor(algorithm), iv, RANDOM);
        assertThat(cipher.decrypt(cipher.encrypt(new byte[0]))).as("%s", cipher).isEmpty();
      }
    }
  }

  @Test
  void rejectsKeyOrIvOfTheWrongLengthWithoutShowingThem() {
    byte[] shortKey = "SECRET-KEY-0123".getBytes(UTF_8);
    byte[] longIv = "SECRET-IV-0123456".getBytes(UTF_8);

    assertThatThrownBy(() -> new PayloadCipher(CipherAlgorithm.AES_128_CFB, shortKey, IV, RANDOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AES-128-CFB needs a 16-byte key, got 15 bytes");
    assertThatThrownBy(() -> new PayloadCipher(CipherAlgorithm.AES_256_GCM, keyFor(CipherAlgorithm.AES_128_GCM),
        IV, RANDOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AES-256-GCM needs a 32-byte key, got 16 bytes");
    assertThatThrownBy(() -> new PayloadCipher(CipherAlgorithm.AES_128_CFB, keyFor(CipherAlgorithm.AES_128_CFB),
        longIv, RANDOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the IV must be 16 bytes long, got 17")
        .message().doesNotContain("SECRET");
  }

  @Test
  void keepsItsOwnCopiesOfKeyAndIv() {
    byte[] key = keyFor(CipherAlgorithm.AES_128_CFB);
    byte[] iv = IV.clone();
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB, key, iv, RANDOM);
    Arrays.fill(key, (byte) 0);
    Arrays.fill(iv, (byte) 0);

    assertThat(cipher.encrypt(VECTOR_PLAINTEXT)).isEqualTo("TGDoWt6EjSzYZqayVnfBUlTlEM40nKkpRfi1SOlXuOau");
  }

  @Test
  void oneInstanceIsSafeToShareAcrossThreads() throws Exception {
    byte[] key = keyFor(CipherAlgorithm.AES_192_GCM);
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_192_GCM, key, IV, RANDOM);
    List<byte[]> plaintexts = IntStream.range(0, 2000).mapToObj(i -> ("value-" + i).getBytes(UTF_8)).toList();

    List<String> encrypted = plaintexts.parallelStream().map(cipher::encrypt).toList();

    for (int i = 0; i < plaintexts.size(); i++) {
      assertThat(Base64.getDecoder().decode(encrypted.get(i)))
          .isEqualTo(jce(Cipher.ENCRYPT_MODE, CipherAlgorithm.AES_192_GCM, key, IV, plaintexts.get(i)));
    }
  }

  @Test
  void toStringShowsAlgorithmAndModeButNoKeyMaterial() {
    byte[] key = keyFor(CipherAlgorithm.AES_256_GCM);
    PayloadCipher fixed = new PayloadCipher(CipherAlgorithm.AES_256_GCM, key, IV, RANDOM);
    PayloadCipher random = new PayloadCipher(CipherAlgorithm.AES_128_CFB, keyFor(CipherAlgorithm.AES_128_CFB), null,
        RANDOM);

    assertThat(fixed).hasToString("PayloadCipher[AES-256-GCM, fixed IV]");
    assertThat(random).hasToString("PayloadCipher[AES-128-CFB, random IV]");
    for (String shown : List.of(fixed.toString(), random.toString())) {
      assertThat(shown).doesNotContain("K1", "xxxx", "PO", "LY", HexFormat.of().formatHex(key).substring(0, 8),
          Base64.getEncoder().encodeToString(key).substring(0, 8));
    }
  }
}
