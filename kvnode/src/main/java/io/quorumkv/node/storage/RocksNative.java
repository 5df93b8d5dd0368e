package io.quorumkv.node.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's native library once per process. RocksDB's own loader copies the 17 MB library
 * from the jar to a fresh temporary file at every start and deletes it only at a normal exit, so
 * every node killed with SIGKILL (which the tests and a crash do often) would leave one behind.
 * This loader keeps one copy per user and library build instead, in
 * {@code $TMPDIR/quorumkv-native-USER/CRC/}, named by the CRC the jar records for the entry, and
 * reuses it. Falls back to RocksDB's loader when anything about that cannot be done.
 */
final class RocksNative {

  private static final System.Logger LOG = System.getLogger(RocksNative.class.getName());

  private static boolean loaded;
  /** The directory of the copy loaded, or null when RocksDB's own loader was used. */
  private static Path loadedFrom;

  private RocksNative() {
  }

  static synchronized void load() {
    if (loaded) {
      return;
    }
    try {
      Path dir = cachedCopy();
      if (dir != null) {
        RocksDB.loadLibrary(List.of(dir.toString()));
        loadedFrom = dir;
      } else {
        RocksDB.loadLibrary();
      }
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.log(System.Logger.Level.WARNING, "cached RocksDB library not usable (" + e
          + "); using RocksDB's own loader, which leaves a copy in the temporary directory");
      RocksDB.loadLibrary();
    }
    loaded = true;
  }

  /** Where the library was loaded from: null before {@link #load}, or with RocksDB's loader. */
  static synchronized Path loadedFrom() {
    return loadedFrom;
  }

  /** The directory holding the library, copied there if needed; null when the jar says no CRC. */
  private static Path cachedCopy() throws IOException {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    // The file name loadLibrary(paths) looks for, which in RocksJava 11 is not the resource's
    // ("librocksdbjnijni-linux64.so"): ask the same function it asks.
    String name = Environment.getJniLibraryFileName("rocksdbjni");
    URL url = RocksDB.class.getClassLoader().getResource(resource);
    if (url == null) {
      return null;
    }
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar) || jar.getJarEntry().getCrc() < 0) {
      return null;
    }
    long crc = jar.getJarEntry().getCrc();
    long size = jar.getJarEntry().getSize();
    Path base = Path.of(System.getProperty("java.io.tmpdir"),
        "quorumkv-native-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]",
            "_"));
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(base,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    // Another user's directory, or one others may write to, could hold a planted library.
    if (!Files.getOwner(base, LinkOption.NOFOLLOW_LINKS).getName()
        .equals(System.getProperty("user.name"))
        || !Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS)
            .equals(PosixFilePermissions.fromString("rwx------"))) {
      return null;
    }
    Path dir = base.resolve(Long.toHexString(crc));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == size) {
      return dir;
    }
    // Copy beside it, then rename: a concurrent start sees either no file or a whole one.
    Path partial = Files.createTempFile(dir, name, ".partial");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return dir;
  }
}
