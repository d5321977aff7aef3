package io.callbackengine.domain.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CFB interop with the real {@code openssl enc}, the command API §6 promises receivers. {@code -A} keeps the
 * base64 on one line: without it OpenSSL 3 wants a trailing newline and silently drops data from lines longer
 * than 1024 characters. OpenSSL's {@code enc} has no AEAD support, so GCM is checked against JCE only.
 */
class PayloadCipherOpenSslTest {

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] IV = "POxxxxxxxxxxxxLY".getBytes(US_ASCII);
  private static final HexFormat HEX = HexFormat.of();

  @BeforeAll
  static void opensslIsInstalled() {
    if (!Files.isExecutable(OPENSSL)) {
      fail(OPENSSL + " not found: install openssl (e.g. apt-get install openssl); the CFB interop tests need it");
    }
  }

  private static byte[] openssl(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "enc"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    }
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), US_ASCII);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
    assertThat(process.exitValue()).as("openssl exit status, stderr: %s", err).isZero();
    return out;
  }

  private static String cfbName(CipherAlgorithm algorithm) {
    return "-aes-" + algorithm.keyBytes() * 8 + "-cfb";
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @EnumSource(value = CipherAlgorithm.class, names = ".*_CFB", mode = EnumSource.Mode.MATCH_ALL)
  void opensslDecryptsWhatPayloadCipherEncrypts(CipherAlgorithm algorithm) throws Exception {
    byte[] key = PayloadCipherTest.keyFor(algorithm);
    PayloadCipher cipher = new PayloadCipher(algorithm, key, IV, RANDOM);
    for (int length : List.of(1, 15, 16, 17, 100, 5000)) {
      byte[] plaintext = randomBytes(length);
      String encrypted = cipher.encrypt(plaintext);

      byte[] decrypted = openssl(encrypted.getBytes(US_ASCII),
          "-d", "-a", "-A", cfbName(algorithm), "-K", HEX.formatHex(key), "-iv", HEX.formatHex(IV));

      assertThat(decrypted).as("%s, %d bytes", algorithm, length).isEqualTo(plaintext);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherAlgorithm.class, names = ".*_CFB", mode = EnumSource.Mode.MATCH_ALL)
  void payloadCipherDecryptsWhatOpensslEncrypts(CipherAlgorithm algorithm) throws Exception {
    byte[] key = PayloadCipherTest.keyFor(algorithm);
    PayloadCipher cipher = new PayloadCipher(algorithm, key, IV, RANDOM);
    for (int length : List.of(1, 16, 33, 5000)) {
      byte[] plaintext = randomBytes(length);

      String encrypted = new String(openssl(plaintext,
          "-e", "-a", "-A", cfbName(algorithm), "-K", HEX.formatHex(key), "-iv", HEX.formatHex(IV)), US_ASCII);

      assertThat(encrypted.strip()).isEqualTo(cipher.encrypt(plaintext));
      assertThat(cipher.decrypt(encrypted)).as("%s, %d bytes", algorithm, length).isEqualTo(plaintext);
    }
  }

  @Test
  void randomIvValueDecryptsWithOpensslOnceTheIvIsSplitOff() throws Exception {
    byte[] key = PayloadCipherTest.keyFor(CipherAlgorithm.AES_256_CFB);
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_256_CFB, key, null, RANDOM);
    byte[] plaintext = "{\"status\":\"delivered\"}".getBytes(US_ASCII);
    byte[] raw = Base64.getDecoder().decode(cipher.encrypt(plaintext));

    byte[] decrypted = openssl(Base64.getEncoder().encode(Arrays.copyOfRange(raw, 16, raw.length)),
        "-d", "-a", "-A", "-aes-256-cfb", "-K", HEX.formatHex(key), "-iv", HEX.formatHex(raw, 0, 16));

    assertThat(decrypted).isEqualTo(plaintext);
  }

  @Test
  void theCommandAsTheApiDocumentsItWorksForAShortValueEndingInANewline() throws Exception {
    byte[] key = PayloadCipherTest.keyFor(CipherAlgorithm.AES_128_CFB);
    PayloadCipher cipher = new PayloadCipher(CipherAlgorithm.AES_128_CFB, key, IV, RANDOM);
    byte[] plaintext = "delivered".getBytes(US_ASCII);

    // What `echo "$value" | openssl enc -aes-128-cfb -d -a -K … -iv …` sees.
    byte[] decrypted = openssl((cipher.encrypt(plaintext) + "\n").getBytes(US_ASCII),
        "-aes-128-cfb", "-d", "-a", "-K", HEX.formatHex(key), "-iv", HEX.formatHex(IV));

    assertThat(decrypted).isEqualTo(plaintext);
  }
}
