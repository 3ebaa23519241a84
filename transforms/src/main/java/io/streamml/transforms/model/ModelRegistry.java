package io.streamml.transforms.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
  // Attempts to claim a version folder before giving up (another writer took each number tried).
  private static final int MAX_CLAIMS = 100;

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
   *
   * <p>On a local filesystem the version number is claimed by creating its folder exclusively
   * (retrying with the next number when another writer got there first), so concurrent registers,
   * from threads or processes, never share a version. Other Beam filesystems (object stores) have
   * no exclusive create: there the number is the latest complete version plus one, and two
   * concurrent registers could pick the same one; run one {@code train} at a time per registry.
   */
  public synchronized String register(ModelBundle bundle, boolean makeLatest) throws IOException {
    String version = claimNextVersion();
    bundle.writeTo(folderOf(version));
    if (makeLatest) {
      promote(version);
    }
    return version;
  }

  private String claimNextVersion() throws IOException {
    Path local = localRoot();
    if (local == null) {
      List<String> versions = versions();
      return format(versions.isEmpty() ? 1 : number(versions.get(versions.size() - 1)) + 1);
    }
    Files.createDirectories(local);
    for (int attempt = 0; attempt < MAX_CLAIMS; attempt++) {
      // Incomplete folders count too: they may be another writer's bundle being written.
      int highest = 0;
      try (Stream<Path> children = Files.list(local)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          String name = child.getFileName().toString();
          if (VERSION.matcher(name).matches() && Files.isDirectory(child)) {
            highest = Math.max(highest, number(name));
          }
        }
      }
      String version = format(highest + 1);
      try {
        Files.createDirectory(local.resolve(version));
        return version;
      } catch (FileAlreadyExistsException e) {
        // Another writer claimed it between the listing and the create: list again.
      }
    }
    throw new IOException(
        "Model registry "
            + root
            + ": could not claim a version folder in "
            + MAX_CLAIMS
            + " tries");
  }

  /** The registry root as a local path, or null on another filesystem. */
  private @Nullable Path localRoot() {
    if (!"file".equals(rootDir.getScheme())) {
      return null;
    }
    return Paths.get(rootDir.toString());
  }

  private static int number(String version) {
    return Integer.parseInt(version.substring(1));
  }

  private static String format(int number) {
    return String.format("v%04d", number);
  }

  /** Whether {@code version} is a registry version name ({@code v} and at least four digits). */
  public static boolean isVersion(@Nullable String version) {
    return version != null && VERSION.matcher(version).matches();
  }

  /**
   * {@code version} if it is a version name; else an IllegalArgumentException naming it, so no read
   * or write can be steered outside the registry root by a name like {@code ../x}.
   */
  public static String checkVersion(@Nullable String version) {
    if (!isVersion(version)) {
      throw new IllegalArgumentException(
          "Not a model version: '"
              + version
              + "' (expected v and four or more digits, e.g. v0001)");
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

  /**
   * The version LATEST names, or null for an empty registry. A LATEST that does not hold a version
   * name (e.g. a path like {@code ../x}) is an IllegalStateException naming it.
   */
  public @Nullable String latestVersion() throws IOException {
    ResourceId latest = BundleFiles.file(rootDir, LATEST);
    if (!BundleFiles.exists(latest)) {
      return null;
    }
    String version = BundleFiles.readText(latest).trim();
    if (!isVersion(version)) {
      throw new IllegalStateException(
          "Model registry "
              + root
              + ": LATEST names '"
              + abbreviate(version)
              + "', which is not a model version (vNNNN)");
    }
    return version;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
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
  public void promote(String version) throws IOException {
    load(version);
    BundleFiles.replace(
        BundleFiles.file(rootDir, LATEST), (version + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Points LATEST at the version before the current one; returns it. */
  public String rollback() throws IOException {
    List<String> versions = versions();
    int current = versions.indexOf(latestVersion());
    if (current <= 0) {
      throw new IllegalStateException("Model registry " + root + " has no earlier version");
    }
    String previous = versions.get(current - 1);
    promote(previous);
    return previous;
  }

  /** The folder of {@code version}; refuses a name that is not a version (see checkVersion). */
  public String folderOf(String version) {
    return versionFolder(root, version);
  }

  /**
   * The folder of {@code version} in the registry at {@code root}, without touching the filesystem;
   * refuses a name that is not a version or a folder outside the root.
   */
  public static String versionFolder(String root, String version) {
    String trimmed = root.replaceAll("/+$", "");
    String folder = trimmed + "/" + checkVersion(version);
    // Belt and braces: the version pattern has no separator or dot, so the folder stays inside.
    if (!normalize(folder).startsWith(normalize(trimmed) + "/")) {
      throw new IllegalArgumentException(
          "Model version '" + version + "' resolves outside the registry " + root);
    }
    return folder;
  }

  /** {@code path} with "." and ".." segments resolved, as text (works for any scheme). */
  static String normalize(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        if (!segments.isEmpty() && !segments.peekLast().isEmpty()) {
          segments.removeLast();
        }
      } else if (!segment.equals(".")) {
        segments.addLast(segment);
      }
    }
    return String.join("/", segments);
  }
}
