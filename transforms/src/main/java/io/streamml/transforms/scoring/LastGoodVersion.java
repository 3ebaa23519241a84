package io.streamml.transforms.scoring;

import io.streamml.transforms.model.ModelRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry poller hands the scorers: the version LATEST names once it is known to score
 * these rows (a version name, its bundle loads and passes its manifest check, its features fit the
 * input), else the last version that did. A half-written bundle, a LATEST naming a missing or
 * tampered version, or a LATEST that is not a version at all never replaces the model in use; each
 * such poll is reported, and logged as a warning once per bad version. A bad version is checked
 * again on every poll, so a bundle whose writing completes later is picked up then.
 */
final class LastGoodVersion {

  private static final Logger LOG = LoggerFactory.getLogger(LastGoodVersion.class);

  private final String registryRoot;
  private final FeatureLayout layout;
  private String lastGood;
  private final Set<String> warned = new HashSet<>();

  /** Starts from {@code startVersion}, the version checked when the pipeline was built. */
  LastGoodVersion(String registryRoot, FeatureLayout layout, String startVersion) {
    this.registryRoot = registryRoot;
    this.layout = layout;
    this.lastGood = startVersion;
  }

  /** The version to score with now; {@code onFailure} gets the reason when LATEST was not used. */
  String poll(Consumer<String> onFailure) {
    String latest = null;
    String why;
    try {
      latest = ModelRegistry.at(registryRoot).latestVersion();
      String problem = latest == null ? null : problemWith(latest);
      why =
          latest == null
              ? "Model registry " + registryRoot + " has no LATEST"
              : problem == null
                  ? null
                  : "Model registry "
                      + registryRoot
                      + ": LATEST names "
                      + latest
                      + ", but "
                      + problem;
    } catch (IllegalStateException e) {
      why = e.getMessage(); // LATEST is not a version name; the message names the registry
    } catch (Exception e) {
      why = "Model registry " + registryRoot + ": cannot read LATEST: " + BatchScorer.message(e);
    }
    if (why == null) {
      if (!latest.equals(lastGood)) {
        LOG.info("Model registry {}: now scoring with {} (was {})", registryRoot, latest, lastGood);
        lastGood = latest;
      }
      return lastGood;
    }
    why = why + "; still scoring with " + lastGood;
    if (warned.add(latest == null ? why : latest)) {
      LOG.warn(why);
    }
    onFailure.accept(why);
    return lastGood;
  }

  /** Why {@code version} cannot score the rows, or null if it can (loading it into the cache). */
  private @Nullable String problemWith(String version) {
    if (version.equals(lastGood)) {
      return null;
    }
    LoadedModel model;
    try {
      model = ModelCache.acquire(ModelRegistry.versionFolder(registryRoot, version), version);
    } catch (Exception e) {
      return "it cannot be loaded: " + BatchScorer.message(e);
    }
    try {
      return layout.mismatch(model.featureNames(), version);
    } finally {
      ModelCache.release(model);
    }
  }
}
