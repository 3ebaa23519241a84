package io.streamml.transforms.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Versioned model bundles under a root folder on any Beam filesystem: {@code v0001/}, {@code
 * v0002/}, ... and a {@code LATEST} file naming the current version. A bundle is complete before
 * {@code LATEST} can name it, and {@code LATEST} is replaced through a rename, so a reader never
 * sees half a bundle.
 */
public final class ModelRegistry {

  static final String LATEST = "LATEST";
  private static final Pattern VERSION = Pattern.compile("v(\\d{4,})");

  private final String root;
  private final ResourceId rootDir;

  private ModelRegistry(String root) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.rootDir = BundleFiles.folder(this.root);
  }

  public static ModelRegistry at(String root) {
    return new ModelRegistry(root);
  }

  /** Stores the bundle as the next version and makes it LATEST; returns the version. */
  public String register(ModelBundle bundle) throws IOException {
    return register(bundle, true);
  }

  /**
   * Stores the bundle as the next version, and makes it LATEST if {@code makeLatest}; returns the
   * version.
   */
  public synchronized String register(ModelBundle bundle, boolean makeLatest) throws IOException {
    List<String> versions = versions();
    int next =
        versions.isEmpty()
            ? 1
            : Integer.parseInt(versions.get(versions.size() - 1).substring(1)) + 1;
    String version = String.format("v%04d", next);
    bundle.writeTo(folderOf(version));
    if (makeLatest) {
      promote(version);
    }
    return version;
  }

  /** Versions with a manifest (complete bundles), oldest first. */
  public List<String> versions() throws IOException {
    MatchResult match =
        FileSystems.match(root + "/v*/" + ModelBundle.MANIFEST_FILE, EmptyMatchTreatment.ALLOW);
    List<String> versions = new ArrayList<>();
    for (MatchResult.Metadata file : match.metadata()) {
      String folder = file.resourceId().getCurrentDirectory().toString();
      Matcher m = VERSION.matcher(folder.replaceAll("/+$", "").replaceAll(".*/", ""));
      if (m.matches()) {
        versions.add(m.group());
      }
    }
    versions.sort(null);
    return versions;
  }

  /** The version LATEST names, or null for an empty registry. */
  public @Nullable String latestVersion() throws IOException {
    ResourceId latest = BundleFiles.file(rootDir, LATEST);
    if (!BundleFiles.exists(latest)) {
      return null;
    }
    return BundleFiles.readText(latest).trim();
  }

  /** The verified bundle LATEST names. */
  public ModelBundle loadLatest() throws IOException {
    String version = latestVersion();
    if (version == null) {
      throw new IllegalStateException("Model registry " + root + " has no models yet");
    }
    return load(version);
  }

  public ModelBundle load(String version) throws IOException {
    return ModelBundle.readFrom(folderOf(version));
  }

  /** Points LATEST at {@code version}, after checking that its bundle loads. */
  public synchronized void promote(String version) throws IOException {
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException("Not a model version: '" + version + "'");
    }
    load(version);
    BundleFiles.replace(
        BundleFiles.file(rootDir, LATEST), (version + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Points LATEST at the version before the current one; returns it. */
  public synchronized String rollback() throws IOException {
    List<String> versions = versions();
    int current = versions.indexOf(latestVersion());
    if (current <= 0) {
      throw new IllegalStateException("Model registry " + root + " has no earlier version");
    }
    String previous = versions.get(current - 1);
    promote(previous);
    return previous;
  }

  public String folderOf(String version) {
    return root + "/" + version;
  }
}
