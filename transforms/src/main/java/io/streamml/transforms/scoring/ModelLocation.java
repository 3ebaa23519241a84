package io.streamml.transforms.scoring;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where a model version's bundle is: a folder of a registry, or one pinned bundle folder. */
final class ModelLocation implements Serializable {

  private final @Nullable String registryRoot;
  private final String fixedFolder;
  private final String fixedVersion;

  private ModelLocation(@Nullable String registryRoot, String fixedFolder, String fixedVersion) {
    this.registryRoot = registryRoot;
    this.fixedFolder = fixedFolder;
    this.fixedVersion = fixedVersion;
  }

  /**
   * Versions of the registry at {@code root}; {@code version} is used when not following LATEST.
   */
  static ModelLocation registry(String root, String version) {
    String trimmed = root.replaceAll("/+$", "");
    return new ModelLocation(trimmed, trimmed + "/" + version, version);
  }

  /** The bundle in {@code folder}; its version is the folder's name (e.g. {@code v0003}). */
  static ModelLocation pinned(String folder) {
    String trimmed = folder.replaceAll("/+$", "");
    return new ModelLocation(null, trimmed, trimmed.substring(trimmed.lastIndexOf('/') + 1));
  }

  String fixedVersion() {
    return fixedVersion;
  }

  String fixedFolder() {
    return fixedFolder;
  }

  String folderOf(String version) {
    if (registryRoot == null || version.equals(fixedVersion)) {
      return fixedFolder;
    }
    return registryRoot + "/" + version;
  }
}
