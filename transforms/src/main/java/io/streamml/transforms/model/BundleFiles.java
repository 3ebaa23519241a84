package io.streamml.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/** Whole-file reads and writes on any Beam filesystem, and SHA-256 checksums. */
final class BundleFiles {

  private BundleFiles() {}

  static ResourceId folder(String path) {
    return FileSystems.matchNewResource(path.endsWith("/") ? path : path + "/", true);
  }

  static ResourceId file(ResourceId folder, String name) {
    return folder.resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  static ResourceId subfolder(ResourceId folder, String name) {
    return folder.resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  static void write(ResourceId file, byte[] bytes) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      out.write(bytes);
    }
  }

  static byte[] read(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    }
  }

  static String readText(ResourceId file) throws IOException {
    return new String(read(file), StandardCharsets.UTF_8);
  }

  static boolean exists(ResourceId file) throws IOException {
    MatchResult match = FileSystems.match(file.toString(), EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /** Writes through a temporary file and a rename, so readers see the old or the new content. */
  static void replace(ResourceId file, byte[] bytes) throws IOException {
    ResourceId temporary =
        file.getCurrentDirectory()
            .resolve(
                "." + file.getFilename() + "." + System.nanoTime() + ".tmp",
                StandardResolveOptions.RESOLVE_FILE);
    write(temporary, bytes);
    FileSystems.rename(
        List.of(temporary), List.of(file), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
