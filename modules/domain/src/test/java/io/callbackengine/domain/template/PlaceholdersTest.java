package io.callbackengine.domain.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaceholdersTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
    "no placeholders here               | ''",
    "NULL                               | ''",
    "<status>                           | status",
    "Hi <name>, your <status>!          | name,status",
    "<b><a><b>                          | b,a",
    "<address.city> <parts[0]>          | address.city,parts[0]",
    "<a.b[2].c><list[0][1]>             | a.b[2].c,list[0][1]",
    "<1abc> < x> <a..b> <x > <> <a.> <[0]> | ''",
    "<<a>>                              | a",
    "a < b > c <d-e_f>                  | d-e_f",
    "<a[x]> <a[-1]> <a[]>              | ''",
  })
  void findsNamesInText(String text, String expected) {
    List<String> names = expected.isEmpty() ? List.of() : List.of(expected.split(","));
    assertThat(Placeholders.in(text)).containsExactlyElementsOf(names);
  }

  @Test
  void returnsAnOrderedSet() {
    assertThat(Placeholders.in("<z><a>")).isInstanceOf(LinkedHashSet.class).containsExactly("z", "a");
  }

  @Test
  void walksJsonStringValuesButNotKeys() {
    JsonObject body = new JsonObject()
        .put("<key>", "<first>")
        .put("nested", new JsonObject().put("<inner_key>", "x <second> y"))
        .put("list", new JsonArray().add("<third>").add(3).add(new JsonArray().add("<fourth>")).add(true).addNull())
        .put("number", 1)
        .put("again", "<first>");
    assertThat(Placeholders.in((Object) body)).containsExactly("first", "second", "third", "fourth");
  }

  @Test
  void walksPlainMapsAndListsInsideJson() {
    JsonObject body = new JsonObject(Map.of("m", Map.of("k", List.of("<deep>"))));
    assertThat(Placeholders.in((Object) body)).containsExactly("deep");
  }

  @Test
  void walksArraysAndStringsAtTheTop() {
    assertThat(Placeholders.in((Object) new JsonArray().add("<a>").add("<b>"))).containsExactly("a", "b");
    assertThat(Placeholders.in((Object) "<a>")).containsExactly("a");
    assertThat(Placeholders.in((Object) null)).isEmpty();
    assertThat(Placeholders.in((Object) 12)).isEmpty();
  }
}
