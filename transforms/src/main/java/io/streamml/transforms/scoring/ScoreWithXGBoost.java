package io.streamml.transforms.scoring;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.Score;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import java.io.IOException;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Scores feature rows with an XGBoost model bundle, in batches, at close to xgboost4j's own batch
 * speed.
 *
 * <p>Input: FeatureVector rows, or plain rows whose numeric fields are the features (with optional
 * {@code key}, {@code event_id}, {@code feature_time}, {@code label} fields). Features are matched
 * to the model by name; a model feature the input lacks (or, for FeatureVectors, an input feature
 * the model was not trained on) is refused in {@code expand}, before any data flows. Null features
 * are missing values, which XGBoost handles.
 *
 * <p>Output: one {@link Score} per input row, with the model version that scored it, its timestamp
 * and window unchanged; rows at or above the threshold also carry their top-k SHAP contributions
 * (or path contributions: {@link #withApproximateReasons}). Rows that cannot be scored (a pinned
 * bundle that no longer loads, a row with an infinite feature or one beyond float range) go to dead
 * letters (stage {@code score}) with the row as JSON and the reason; the rest of their batch is
 * scored. NaN and null features are missing values, XGBoost's convention. No ordering is kept, also
 * not across a model swap.
 *
 * <p>Models: {@link #fromRegistry} follows the registry's LATEST on unbounded input, re-read every
 * poll interval, so a promoted version is used without a restart (bounded input is scored with the
 * version LATEST names at launch); {@link #pinned} scores with one bundle. A promoted version is
 * used only once its bundle loads, passes its manifest check and fits the input; until then the
 * last good version keeps scoring and each bad poll counts {@code registry_poll_failures}. Each
 * booster is loaded once per JVM per version and shared by every DoFn instance; the two most
 * recently used versions per registry stay loaded, an older one is freed once no batch uses it.
 *
 * <p>Batching: by default rows are batched within a bundle (flushed at the maximum batch size and
 * at the end of the bundle). On runners whose streaming bundles are tiny (Dataflow streaming),
 * {@link #withCrossBundleBatching} gathers batches across bundles with {@code GroupIntoBatches} on
 * sharded keys, at the cost of a shuffle and up to the buffering duration of latency.
 *
 * <p>Metrics (namespace {@value #METRICS_NAMESPACE}): {@code rows_scored}, {@code batches}, {@code
 * batch_size} (distribution), {@code model_loads}, {@code model_load_millis} (distribution), {@code
 * dead_letters}, {@code registry_poll_failures}.
 */
public final class ScoreWithXGBoost
    extends PTransform<PCollection<Row>, WithFailures.Result<PCollection<Row>, Row>> {

  public static final String METRICS_NAMESPACE = "streamml.scoring";
  public static final String ROWS_SCORED = "rows_scored";
  public static final String BATCHES = "batches";
  public static final String BATCH_SIZE = "batch_size";
  public static final String MODEL_LOADS = "model_loads";
  public static final String MODEL_LOAD_MILLIS = "model_load_millis";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String REGISTRY_POLL_FAILURES = "registry_poll_failures";

  /** The {@code source} of scoring dead letters. */
  public static final String DEAD_LETTER_SOURCE = "scoring";

  public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
  public static final int DEFAULT_TOP_K = 3;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.standardSeconds(60);
  public static final int DEFAULT_SHARDS = 8;

  private final @Nullable String registryRoot;
  private final @Nullable String bundlePath;
  private final int maxBatchSize;
  private final int topK;
  private final @Nullable Double threshold;
  private final Duration pollInterval;
  private final @Nullable Instant pollUntil;
  private final @Nullable Duration maxBufferingDuration;
  private final int shards;
  private final boolean approximateReasons;

  private ScoreWithXGBoost(
      @Nullable String registryRoot,
      @Nullable String bundlePath,
      int maxBatchSize,
      int topK,
      @Nullable Double threshold,
      Duration pollInterval,
      @Nullable Instant pollUntil,
      @Nullable Duration maxBufferingDuration,
      int shards,
      boolean approximateReasons) {
    this.registryRoot = registryRoot;
    this.bundlePath = bundlePath;
    this.maxBatchSize = maxBatchSize;
    this.topK = topK;
    this.threshold = threshold;
    this.pollInterval = pollInterval;
    this.pollUntil = pollUntil;
    this.maxBufferingDuration = maxBufferingDuration;
    this.shards = shards;
    this.approximateReasons = approximateReasons;
  }

  /** Scores with the version the registry at {@code root} names LATEST, following promotions. */
  public static ScoreWithXGBoost fromRegistry(String root) {
    checkArgument(root != null && !root.isBlank(), "registry root must not be blank: %s", root);
    return new ScoreWithXGBoost(
        root,
        null,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_TOP_K,
        null,
        DEFAULT_POLL_INTERVAL,
        null,
        null,
        DEFAULT_SHARDS,
        false);
  }

  /** Scores with the bundle in {@code bundlePath} only (a registry's {@code vNNNN} folder). */
  public static ScoreWithXGBoost pinned(String bundlePath) {
    checkArgument(
        bundlePath != null && !bundlePath.isBlank(),
        "bundle path must not be blank: %s",
        bundlePath);
    return new ScoreWithXGBoost(
        null,
        bundlePath,
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_TOP_K,
        null,
        DEFAULT_POLL_INTERVAL,
        null,
        null,
        DEFAULT_SHARDS,
        false);
  }

  /** Rows per prediction call at most (default {@value #DEFAULT_MAX_BATCH_SIZE}). */
  public ScoreWithXGBoost withMaxBatchSize(int maxBatchSize) {
    checkArgument(maxBatchSize >= 1, "maxBatchSize must be at least 1: %s", maxBatchSize);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /** Contributions kept per alerting score (default {@value #DEFAULT_TOP_K}; 0: none). */
  public ScoreWithXGBoost withTopK(int topK) {
    checkArgument(topK >= 0, "topK must not be negative: %s", topK);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /** Alert threshold for every version, instead of each bundle's own. */
  public ScoreWithXGBoost withThreshold(double threshold) {
    checkArgument(
        threshold >= 0 && threshold <= 1, "threshold must be between 0 and 1: %s", threshold);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /** How often an unbounded pipeline re-reads the registry's LATEST (default 60 s). */
  public ScoreWithXGBoost withPollInterval(Duration pollInterval) {
    checkArgument(
        pollInterval != null && pollInterval.getMillis() > 0,
        "pollInterval must be positive: %s",
        pollInterval);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /**
   * Stops re-reading LATEST at {@code stopAt}, after which the last version read stays in use. Lets
   * a finite unbounded run (a replay, a test) end; a service leaves it unset.
   */
  public ScoreWithXGBoost withPollingUntil(Instant stopAt) {
    checkArgument(stopAt != null, "stopAt must not be null");
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        stopAt,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /**
   * Batches across bundles ({@code GroupIntoBatches} on {@link #withShards} keys), emitting a batch
   * when full or after {@code maxBufferingDuration}: for runners whose streaming bundles hold few
   * rows (Dataflow streaming). Costs a shuffle and up to that much latency.
   */
  public ScoreWithXGBoost withCrossBundleBatching(Duration maxBufferingDuration) {
    checkArgument(
        maxBufferingDuration != null && maxBufferingDuration.getMillis() > 0,
        "maxBufferingDuration must be positive: %s",
        maxBufferingDuration);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /** Keys rows are spread over in cross-bundle mode: its parallelism (default 8). */
  public ScoreWithXGBoost withShards(int shards) {
    checkArgument(shards >= 1, "shards must be at least 1: %s", shards);
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximateReasons);
  }

  /**
   * Reasons from each tree's path ({@link ApproximateContributions}, XGBoost's {@code
   * approx_contribs}) instead of exact SHAP values: they add up the same, split the credit along a
   * path differently, and cost a small fraction of SHAP's time (docs/scoring.md). Default: exact.
   */
  public ScoreWithXGBoost withApproximateReasons(boolean approximate) {
    return new ScoreWithXGBoost(
        registryRoot,
        bundlePath,
        maxBatchSize,
        topK,
        threshold,
        pollInterval,
        pollUntil,
        maxBufferingDuration,
        shards,
        approximate);
  }

  @Override
  public WithFailures.Result<PCollection<Row>, Row> expand(PCollection<Row> rows) {
    if (!rows.hasSchema()) {
      throw new IllegalArgumentException("ScoreWithXGBoost scores Rows with a schema");
    }
    boolean follow = registryRoot != null && rows.isBounded() == PCollection.IsBounded.UNBOUNDED;
    ModelLocation location = resolveAndCheck(rows);
    BatchScorer scorer = new BatchScorer(rows.getSchema(), topK, threshold, approximateReasons);
    PCollectionView<Iterable<KV<Long, String>>> versionView =
        follow
            ? rows.getPipeline()
                .apply(
                    "FollowLatestModel",
                    new FollowLatestVersion(
                        registryRoot,
                        scorer.layout(),
                        location.fixedVersion(),
                        pollInterval,
                        pollUntil))
            : null;
    List<PCollectionView<?>> sideInputs = versionView == null ? List.of() : List.of(versionView);
    TupleTag<Row> scoresTag = new TupleTag<Row>() {};
    TupleTag<Row> deadLettersTag = new TupleTag<Row>() {};
    PCollectionTuple scored;
    if (maxBufferingDuration == null) {
      scored =
          rows.apply(
              "ScoreBatchesInBundle",
              ParDo.of(
                      new ScoreInBundleFn(
                          scorer, location, versionView, maxBatchSize, scoresTag, deadLettersTag))
                  .withSideInputs(sideInputs)
                  .withOutputTags(scoresTag, TupleTagList.of(deadLettersTag)));
    } else {
      scored =
          rows.apply("ShardRows", ParDo.of(new ShardFn(scorer.layout(), shards)))
              .setCoder(
                  KvCoder.of(
                      VarIntCoder.of(),
                      TimestampedValue.TimestampedValueCoder.of(SchemaCoder.of(rows.getSchema()))))
              .apply(
                  "BatchAcrossBundles",
                  GroupIntoBatches.<Integer, TimestampedValue<Row>>ofSize(maxBatchSize)
                      .withMaxBufferingDuration(maxBufferingDuration))
              .apply(
                  "ScoreBatches",
                  ParDo.of(
                          new ScoreBatchesFn(
                              scorer, location, versionView, scoresTag, deadLettersTag))
                      .withSideInputs(sideInputs)
                      .withOutputTags(scoresTag, TupleTagList.of(deadLettersTag)));
    }
    return WithFailures.Result.of(
        scored.get(scoresTag).setRowSchema(Score.SCHEMA),
        scored.get(deadLettersTag).setRowSchema(DeadLetter.SCHEMA));
  }

  /**
   * Loads the bundle this run starts with and checks the input's features against it, so a missing
   * model, a corrupt bundle or a feature mismatch fails the launch with one clear message.
   */
  private ModelLocation resolveAndCheck(PCollection<Row> rows) {
    ModelLocation location;
    if (registryRoot != null) {
      String version;
      try {
        version = ModelRegistry.at(registryRoot).latestVersion();
      } catch (IOException | IllegalStateException e) {
        throw new IllegalArgumentException(
            "Cannot read model registry " + registryRoot + ": " + e.getMessage());
      }
      if (version == null) {
        throw new IllegalArgumentException(
            "Model registry "
                + registryRoot
                + " has no models yet (train one with 'streamml train')");
      }
      location = ModelLocation.registry(registryRoot, version);
    } else {
      location = ModelLocation.pinned(bundlePath);
    }
    ModelBundle bundle;
    try {
      bundle = ModelBundle.readFrom(location.fixedFolder());
      Booster booster = bundle.loadBooster();
      booster.dispose();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "Cannot load model bundle " + location.fixedFolder() + ": " + describe(e));
    }
    String mismatch =
        new FeatureLayout(rows.getSchema())
            .mismatch(bundle.featureNames(), location.fixedVersion());
    if (mismatch != null) {
      throw new IllegalArgumentException("Cannot score " + rows.getName() + ": " + mismatch);
    }
    return location;
  }

  private static String describe(Exception e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getCause() != null && e.getCause().getMessage() != null
        ? e.getCause().getMessage()
        : e.getClass().getSimpleName();
  }

  /** Spreads rows over shard keys by their entity key, keeping each row's timestamp. */
  private static final class ShardFn extends DoFn<Row, KV<Integer, TimestampedValue<Row>>> {
    private final FeatureLayout layout;
    private final int shards;

    ShardFn(FeatureLayout layout, int shards) {
      this.layout = layout;
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element Row row,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<Integer, TimestampedValue<Row>>> out) {
      int shard = Math.floorMod(layout.key(row).hashCode(), shards);
      out.output(KV.of(shard, TimestampedValue.of(row, timestamp)));
    }
  }
}
