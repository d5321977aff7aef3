package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "a b&c                | a%20b%26c",
    "AZaz09-._~           | AZaz09-._~",
    "é                    | %C3%A9",
    "€                    | %E2%82%AC",
    "😀                   | %F0%9F%98%80",
    "+/?#%                | %2B%2F%3F%23%25",
  })
  void encodesUtf8AndKeepsOnlyUnreserved(String text, String expected) {
    assertThat(PercentEncoding.encode(text)).isEqualTo(expected);
  }

  @Test
  void encodesALoneSurrogateAsTheReplacementCharacter() {
    assertThat(PercentEncoding.encode("a\uD800b")).isEqualTo("a%EF%BF%BDb");
  }

  /** Checked against the JDK's form encoder, adjusted to RFC 3986 ({@code +}, {@code *}, {@code ~}). */
  @Test
  void agreesWithTheJdkOnRandomText() {
    Random random = new Random(3986);
    for (int n = 0; n < 2000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(20); i > 0; i--) {
        int codePoint = switch (random.nextInt(4)) {
          case 0 -> random.nextInt(0x80);
          case 1 -> 0x80 + random.nextInt(0x780);
          case 2 -> 0xE000 + random.nextInt(0x2000);
          default -> 0x10000 + random.nextInt(0x100000);
        };
        text.appendCodePoint(codePoint);
      }
      String expected = URLEncoder.encode(text.toString(), StandardCharsets.UTF_8)
          .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
      assertThat(PercentEncoding.encode(text.toString())).as("encoding of %s", text).isEqualTo(expected);
    }
  }
}
