package io.streamml.transforms.scoring;

import io.streamml.transforms.model.ModelRegistry;
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
    return new ModelLocation(trimmed, ModelRegistry.versionFolder(trimmed, version), version);
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

  /** The version's folder; a registry version must be a version name, never a path. */
  String folderOf(String version) {
    if (registryRoot == null || version.equals(fixedVersion)) {
      return fixedFolder;
    }
    return ModelRegistry.versionFolder(registryRoot, version);
  }

  /** The registry followed, or null for a pinned bundle. */
  @Nullable String registryRoot() {
    return registryRoot;
  }
}
