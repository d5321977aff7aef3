package io.callbackengine.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files as {@link ConsoleResource} serves them: the list it reads is the directory's content (a new
 * file that is not listed would answer 404), and every module a script imports is one of them.
 */
class ConsoleFilesTest {

  private static final Path DIRECTORY = Path.of("src", "main", "resources", "console");
  private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");

  @Test
  void theServedListIsTheDirectory() throws IOException {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(ConsoleResource.FILES);
    }
  }

  @Test
  void everyImportedModuleIsServed() throws IOException {
    for (String file : ConsoleResource.FILES) {
      if (file.endsWith(".js")) {
        Matcher imported = IMPORT.matcher(Files.readString(DIRECTORY.resolve(file)));
        while (imported.find()) {
          assertThat(ConsoleResource.FILES).as("imported by " + file).contains(imported.group(1));
        }
      }
    }
  }

  @Test
  void scriptsNeverWriteMarkupFromText() throws IOException {
    // Everything the API returns is put into the page as text nodes (view.js), never parsed as HTML.
    for (String file : ConsoleResource.FILES) {
      assertThat(Files.readString(DIRECTORY.resolve(file))).as(file)
          .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
    }
  }
}
