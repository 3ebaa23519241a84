package io.streamml.transforms.scoring;

import io.streamml.transforms.model.ModelBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Boosters loaded once per JVM per model version and shared by every scoring DoFn instance in it (a
 * runner creates many: one per thread, per step, per restart). Keyed by the bundle folder. Per
 * registry (the bundles' parent folder) the {@value #VERSIONS_PER_REGISTRY} most recently used
 * versions stay loaded, so the two versions in flight during a swap (or two pinned bundles) do not
 * reload each other; an older one is evicted and its native booster freed once no batch uses it.
 */
final class ModelCache {

  static final int VERSIONS_PER_REGISTRY = 2;

  // Access order: the least recently acquired first.
  private static final Map<String, LoadedModel> MODELS = new LinkedHashMap<>(16, 0.75f, true);

  private ModelCache() {}

  /**
   * The model in {@code folder} (verified against its manifest), loading it if needed; the caller
   * must {@link #release} it. Loads count {@code model_loads} and {@code model_load_millis} in the
   * calling step.
   */
  static LoadedModel acquire(String folder, String version) throws Exception {
    synchronized (MODELS) {
      LoadedModel model = MODELS.get(folder);
      if (model == null) {
        model = load(folder, version);
        MODELS.put(folder, model);
        evictOldVersionsOf(parentOf(folder));
      }
      model.retain();
      return model;
    }
  }

  static void release(LoadedModel model) {
    model.release();
  }

  /** Whether {@code folder}'s model is loaded now (tests). */
  static boolean isLoaded(String folder) {
    synchronized (MODELS) {
      return MODELS.containsKey(folder);
    }
  }

  private static void evictOldVersionsOf(String parent) {
    List<String> sameRegistry = new ArrayList<>();
    for (String folder : MODELS.keySet()) {
      if (parentOf(folder).equals(parent)) {
        sameRegistry.add(folder);
      }
    }
    for (String folder :
        sameRegistry.subList(0, Math.max(0, sameRegistry.size() - VERSIONS_PER_REGISTRY))) {
      MODELS.remove(folder).retire();
    }
  }

  private static LoadedModel load(String folder, String version) throws Exception {
    Counter loads =
        Metrics.counter(ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.MODEL_LOADS);
    Distribution millis =
        Metrics.distribution(
            ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.MODEL_LOAD_MILLIS);
    long start = System.nanoTime();
    ModelBundle bundle = ModelBundle.readFrom(folder);
    Booster booster = bundle.loadBooster();
    // The runner already runs one scoring thread per core; OpenMP threads inside each prediction
    // on top of that oversubscribe the cores (measured slower in bench-score).
    booster.setParam("nthread", 1);
    loads.inc();
    millis.update((System.nanoTime() - start) / 1_000_000);
    return new LoadedModel(folder, version, booster, bundle.featureNames(), bundle.threshold());
  }

  private static String parentOf(String folder) {
    String trimmed = folder.replaceAll("/+$", "");
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 ? "" : trimmed.substring(0, slash);
  }

  /** Frees every cached booster (tests; a JVM that is done scoring). */
  static void clear() {
    synchronized (MODELS) {
      MODELS.values().forEach(LoadedModel::retire);
      MODELS.clear();
    }
  }
}
