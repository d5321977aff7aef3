package io.callbackengine.domain.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningSecretTest {

  private static final String VECTOR = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void generatesThirtyTwoRandomBytesInStandardBase64() {
    SigningSecret secret = SigningSecret.generate(new SecureRandom());
    assertThat(secret.keyBytes()).hasSize(32);
    assertThat(secret.value()).startsWith("whsec_").hasSize("whsec_".length() + 44);
    assertThat(Base64.getDecoder().decode(secret.value().substring(6))).isEqualTo(secret.keyBytes());
    assertThat(SigningSecret.parse(secret.value())).isEqualTo(secret);
  }

  @Test
  void generatedSecretsDiffer() {
    SecureRandom random = new SecureRandom();
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      values.add(SigningSecret.generate(random).value());
    }
    assertThat(values).hasSize(100);
  }

  @Test
  void parsesAndGivesBackTheSameText() {
    SigningSecret secret = SigningSecret.parse(VECTOR);
    assertThat(secret.value()).isEqualTo(VECTOR);
    assertThat(secret.keyBytes()).isEqualTo(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  }

  @Test
  void acceptsTheTextWithOrWithoutPadding() {
    SigningSecret generated = SigningSecret.generate(new SecureRandom());
    String unpadded = generated.value().replace("=", "");
    assertThat(unpadded).hasSize(6 + 43);
    assertThat(SigningSecret.parse(unpadded)).isEqualTo(generated);
  }

  @Test
  void keyBytesAreACopy() {
    SigningSecret secret = SigningSecret.parse(VECTOR);
    secret.keyBytes()[0] ^= 1;
    assertThat(secret.value()).isEqualTo(VECTOR);
  }

  @Test
  void equalByKeyBytes() {
    assertThat(SigningSecret.parse(VECTOR)).isEqualTo(SigningSecret.parse(VECTOR))
        .hasSameHashCodeAs(SigningSecret.parse(VECTOR))
        .isNotEqualTo(SigningSecret.parse("whsec_AAAA"))
        .isNotEqualTo(VECTOR);
  }

  @Test
  void neverPrintsTheKey() {
    SigningSecret secret = SigningSecret.parse(VECTOR);
    assertThat(secret.toString()).isEqualTo("whsec_…").doesNotContain("MfKQ");
    assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("MfKQ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "whsec_", "whsec_Mf!Q9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
      "whsec_MfKQ-r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
  void rejectsMalformedSecretsWithoutQuotingThem(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> SigningSecret.parse(text))
        .withMessageStartingWith("a signing secret must")
        .withMessageNotContaining("MfKQ")
        .satisfies(e -> assertThat(e.getCause()).isNull());
  }

  @Test
  void rejectsNull() {
    assertThatIllegalArgumentException().isThrownBy(() -> SigningSecret.parse(null));
  }
}
