package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

  @Test
  void theListedMigrationsAreTheBundledOnesInOrder() throws URISyntaxException {
    File directory = new File(Objects.requireNonNull(getClass().getClassLoader().getResource("db/migration")).toURI());
    String[] files = directory.list((dir, name) -> name.endsWith(".sql"));

    assertThat(SchemaMigrator.MIGRATIONS).containsExactlyInAnyOrder(files);
    assertThat(SchemaMigrator.MIGRATIONS.stream().map(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))))
        .isSorted();
  }

  @Test
  void aMigrationIsDescribedAsFlywayRecordsIt() {
    SchemaMigrator.Bundled first = SchemaMigrator.Bundled.read("V1__accounts_and_profiles.sql");

    assertThat(first.version()).isEqualTo("1");
    assertThat(first.description()).isEqualTo("accounts and profiles");
    // What Flyway 11 stored for this script in flyway_schema_history.checksum.
    assertThat(first.checksum()).isEqualTo(-1908939343);
  }

  @Test
  void aByteOrderMarkAndLineBreaksDoNotChangeTheChecksum() {
    assertThat(Arrays.asList(SchemaMigrator.Bundled.checksum("checksum/unix.sql"),
        SchemaMigrator.Bundled.checksum("checksum/windows-with-bom.sql")))
        .containsOnly(SchemaMigrator.Bundled.checksum("checksum/unix.sql"));
  }
}
