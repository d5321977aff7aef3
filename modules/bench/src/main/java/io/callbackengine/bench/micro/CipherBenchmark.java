package io.callbackengine.bench.micro;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.PayloadCipher;
import io.callbackengine.domain.crypto.SecretSealer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of the engine's two uses of AES on the way to a callback.
 *
 * <ul>
 *   <li>{@link #encryptFields}: {@link PayloadCipher#encryptFields} of every top-level value of the rendered
 *       {@link SampleDelivery} body (about 1 KiB), for each of the six {@link CipherAlgorithm}s, with the profile's
 *       fixed IV and with a fresh random IV per value. Paid on every attempt of a profile with {@code enc}, on the
 *       dispatcher's event loop; each value builds its own BouncyCastle engine and key schedule, and in random-IV
 *       mode draws 16 bytes from {@link SecureRandom}.</li>
 *   <li>{@link #openSecret}: {@link SecretSealer#open} of a sealed 44-character secret (AES-256-GCM with associated
 *       data), what loading a profile costs per sealed column: signing secret, encryption key, IV.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class CipherBenchmark {

  /** A profile's {@code enc}: key and IV typed as text, as the profile API takes them. */
  @State(Scope.Benchmark)
  public static class FieldEncryption {

    @Param
    public CipherAlgorithm algorithm;

    @Param({"fixed", "random"})
    public String iv;

    PayloadCipher cipher;
    JsonObject body;

    @Setup
    public void prepare() {
      // The dispatcher's own source of randomness: the platform default.
      SecureRandom random = new SecureRandom();
      byte[] key = "0123456789abcdefghijklmnopqrstuv".substring(0, algorithm.keyBytes())
          .getBytes(StandardCharsets.UTF_8);
      byte[] fixedIv = "fedcba9876543210".getBytes(StandardCharsets.UTF_8);
      cipher = new PayloadCipher(algorithm, key, "fixed".equals(iv) ? fixedIv : null, random);
      body = SampleDelivery.renderedBody();
    }
  }

  /** One sealed column of a profile row. */
  @State(Scope.Benchmark)
  public static class SealedSecret {

    static final String ASSOCIATED_DATA = "profile:SG_4f2a9c:pr_6Yh3Nc0Wd5:signing_secret";

    SecretSealer sealer;
    byte[] sealed;

    @Setup
    public void prepare() {
      SecureRandom random = new SecureRandom();
      sealer = new SecretSealer(SecretSealer.generateMasterKey(random), random);
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      String text = Base64.getEncoder().encodeToString(secret); // 44 characters
      sealed = sealer.sealText(text, ASSOCIATED_DATA);
    }
  }

  @Benchmark
  public JsonObject encryptFields(FieldEncryption state) {
    return state.cipher.encryptFields(state.body, null);
  }

  @Benchmark
  public byte[] openSecret(SealedSecret state) {
    return state.sealer.open(state.sealed, SealedSecret.ASSOCIATED_DATA);
  }
}
