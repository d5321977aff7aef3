package io.callbackengine.app;

import io.callbackengine.app.config.ConfigException;
import io.callbackengine.domain.crypto.SecretSealer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the master key that seals secrets at rest: {@code CALLBACK_MASTER_KEY} when set, otherwise the key file in
 * the data directory, generated (mode 0600) on the first start with one warning. Runs at start-up, before any
 * event loop, because it reads and writes a file.
 */
public final class MasterKeySource {

  private static final Logger LOG = LoggerFactory.getLogger(MasterKeySource.class);
  public static final String FILE_NAME = "master.key";

  private MasterKeySource() {
  }

  public static byte[] resolve(Optional<String> configured, Path dataDir, SecureRandom random) {
    if (configured.isPresent()) {
      return decode(configured.get(), "CALLBACK_MASTER_KEY");
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
      }
      Files.createDirectories(dataDir);
      byte[] key = SecretSealer.generateMasterKey(random);
      writeOwnerOnly(file, Base64.getEncoder().encodeToString(key) + "\n");
      LOG.warn("No CALLBACK_MASTER_KEY set: generated a master key into {}. Back it up; without it the stored "
          + "secrets cannot be read. Set CALLBACK_MASTER_KEY in production.", file.toAbsolutePath().normalize());
      return key;
    } catch (FileAlreadyExistsException raced) {
      return resolve(configured, dataDir, random);
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the master key file " + file.toAbsolutePath() + ": " + e);
    }
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static byte[] decode(String text, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + " must be base64 of " + SecretSealer.MASTER_KEY_BYTES + " bytes; it is not base64");
    }
    if (key.length != SecretSealer.MASTER_KEY_BYTES) {
      throw new ConfigException(source + " must be base64 of " + SecretSealer.MASTER_KEY_BYTES + " bytes, not "
          + key.length + " bytes (make one with: openssl rand -base64 32)");
    }
    return key;
  }
}
