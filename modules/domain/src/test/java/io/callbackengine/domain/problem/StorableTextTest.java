package io.callbackengine.domain.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Text PostgreSQL cannot store as it came is found wherever it hides in a JSON value, and named. */
class StorableTextTest {

  @Test
  void ordinaryTextAndPairedSurrogatesAreStorable() {
    assertThat(StorableText.defect("plain")).isNull();
    assertThat(StorableText.defect("emoji \ud83d\ude00 and \u00fc")).isNull();
    assertThat(StorableText.defect(null)).isNull();
  }

  @Test
  void nulAndUnpairedSurrogatesAreNot() {
    assertThat(StorableText.defect("a\u0000b")).isEqualTo("the NUL character (\\u0000)");
    assertThat(StorableText.defect("high \ud83d alone")).contains("unpaired surrogate (\\ud83d)");
    assertThat(StorableText.defect("low \ude00 first")).contains("unpaired surrogate (\\ude00)");
    assertThat(StorableText.defect("ends high \ud83d")).contains("unpaired surrogate");
    assertThat(StorableText.defect("reversed \ude00\ud83d")).contains("unpaired surrogate (\\ude00)");
  }

  @Test
  void theFirstDefectInJsonIsNamedByItsPath() {
    JsonObject body = new JsonObject().put("ok", "fine")
        .put("list", new JsonArray().add("fine").add(new JsonObject().put("deep", "x\u0000")));

    assertThat(StorableText.inJson(body, Violation.Location.BODY))
        .contains(Violation.body("body/list/1/deep must NOT contain the NUL character (\\u0000)"));
    assertThat(StorableText.inJson(new JsonObject().put("k\u0000", 1), Violation.Location.BODY))
        .contains(Violation.body("body must NOT have a property name containing the NUL character (\\u0000)"));
    assertThat(StorableText.inJson(new JsonArray().add(1).add("fine"), Violation.Location.BODY)).isEmpty();
    assertThat(StorableText.inJson("top\u0000", Violation.Location.BODY)).isPresent();
  }
}
