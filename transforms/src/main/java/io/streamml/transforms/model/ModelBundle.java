package io.streamml.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.drift.ReferenceProfile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A trained model and everything needed to use and trust it: the XGBoost model (JSON), the feature
 * names in order, the use-case spec, holdout metrics, the alert threshold, the training window and
 * the reference profile for drift ({@code profile.json}); written as one folder with a manifest of
 * SHA-256 checksums, written last. Loading checks every file against the manifest, so a partial or
 * tampered bundle is refused with the file named.
 */
public final class ModelBundle {

  static final String MODEL_FILE = "model.json";
  static final String METADATA_FILE = "bundle.json";
  static final String PROFILE_FILE = "profile.json";
  static final String MANIFEST_FILE = "manifest.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final byte[] model;
  private final List<String> featureNames;
  private final UseCaseSpec spec;
  private final Map<String, Double> metrics;
  private final double threshold;
  private final Instant trainedFrom;
  private final Instant trainedTo;
  private final @Nullable ReferenceProfile profile;

  /** A bundle without a reference profile; see {@link #withProfile}. */
  public ModelBundle(
      byte[] model,
      List<String> featureNames,
      UseCaseSpec spec,
      Map<String, Double> metrics,
      double threshold,
      Instant trainedFrom,
      Instant trainedTo) {
    this(model, featureNames, spec, metrics, threshold, trainedFrom, trainedTo, null);
  }

  private ModelBundle(
      byte[] model,
      List<String> featureNames,
      UseCaseSpec spec,
      Map<String, Double> metrics,
      double threshold,
      Instant trainedFrom,
      Instant trainedTo,
      @Nullable ReferenceProfile profile) {
    if (profile != null && !profile.featureNames().equals(featureNames)) {
      throw new IllegalArgumentException(
          "Reference profile features "
              + profile.featureNames()
              + " differ from the model's "
              + featureNames);
    }
    this.model = model.clone();
    this.featureNames = List.copyOf(featureNames);
    this.spec = spec;
    this.metrics = new LinkedHashMap<>(metrics);
    this.threshold = threshold;
    this.trainedFrom = trainedFrom;
    this.trainedTo = trainedTo;
    this.profile = profile;
  }

  /** This bundle with {@code profile} as its drift reference (same feature order required). */
  public ModelBundle withProfile(ReferenceProfile profile) {
    return new ModelBundle(
        model, featureNames, spec, metrics, threshold, trainedFrom, trainedTo, profile);
  }

  /**
   * The bundle of a freshly trained model, with its reference profile computed from every row of
   * {@code data} (training and holdout part) and the model's scores on them.
   */
  public static ModelBundle of(XGBoostTrainer.Result trained, TrainingSet data, UseCaseSpec spec)
      throws XGBoostError {
    float[] scores = XGBoostTrainer.predict(trained.booster, data);
    return new ModelBundle(
        trained.booster.toByteArray("json"),
        data.featureNames(),
        spec,
        trained.metrics,
        trained.threshold,
        new Instant(data.firstTime()),
        new Instant(data.lastTime()),
        ReferenceProfile.compute(
            data.featureNames(), data.values(), scores, ReferenceProfile.DEFAULT_BINS));
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public UseCaseSpec spec() {
    return spec;
  }

  public Map<String, Double> metrics() {
    return metrics;
  }

  public double threshold() {
    return threshold;
  }

  public Instant trainedFrom() {
    return trainedFrom;
  }

  public Instant trainedTo() {
    return trainedTo;
  }

  /**
   * The training-time distributions drift is measured against; empty only for bundles written
   * before profiles existed (their manifest lists no {@code profile.json}).
   */
  public Optional<ReferenceProfile> profile() {
    return Optional.ofNullable(profile);
  }

  /** A new booster from the bundled model; the caller disposes of it. */
  public Booster loadBooster() throws XGBoostError, IOException {
    return XGBoost.loadModel(model);
  }

  /** Writes the bundle's files into {@code folder} (any Beam filesystem), manifest last. */
  public void writeTo(String folder) throws IOException {
    ResourceId dir = BundleFiles.folder(folder);
    byte[] metadata = metadataJson().getBytes(StandardCharsets.UTF_8);
    BundleFiles.write(BundleFiles.file(dir, MODEL_FILE), model);
    BundleFiles.write(BundleFiles.file(dir, METADATA_FILE), metadata);
    ObjectNode manifest = MAPPER.createObjectNode();
    ObjectNode files = manifest.putObject("sha256");
    files.put(MODEL_FILE, BundleFiles.sha256(model));
    files.put(METADATA_FILE, BundleFiles.sha256(metadata));
    if (profile != null) {
      byte[] profileBytes = profile.toJson().getBytes(StandardCharsets.UTF_8);
      BundleFiles.write(BundleFiles.file(dir, PROFILE_FILE), profileBytes);
      files.put(PROFILE_FILE, BundleFiles.sha256(profileBytes));
    }
    BundleFiles.write(
        BundleFiles.file(dir, MANIFEST_FILE),
        manifest.toPrettyString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and verifies the bundle in {@code folder}; one clear error naming a bad file. */
  public static ModelBundle readFrom(String folder) throws IOException {
    ResourceId dir = BundleFiles.folder(folder);
    JsonNode manifest = MAPPER.readTree(readRequired(dir, MANIFEST_FILE, folder));
    byte[] model = verified(dir, MODEL_FILE, manifest, folder);
    byte[] metadata = verified(dir, METADATA_FILE, manifest, folder);
    JsonNode meta = MAPPER.readTree(metadata);
    List<String> names = new ArrayList<>();
    meta.get("featureNames").forEach(n -> names.add(n.asText()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    meta.get("metrics")
        .fields()
        .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
    ReferenceProfile profile = null;
    // Bundles from before profiles existed list no profile.json: they load without one.
    if (manifest.path("sha256").has(PROFILE_FILE)) {
      byte[] profileBytes = verified(dir, PROFILE_FILE, manifest, folder);
      try {
        profile = ReferenceProfile.fromJson(new String(profileBytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "Model bundle " + folder + ": " + PROFILE_FILE + " is unreadable: " + e.getMessage(),
            e);
      }
    }
    return new ModelBundle(
        model,
        names,
        UseCaseSpecs.parse(meta.get("spec").toString(), folder + "/" + METADATA_FILE),
        metrics,
        meta.get("threshold").asDouble(),
        Instant.parse(meta.get("trainedFrom").asText()),
        Instant.parse(meta.get("trainedTo").asText()),
        profile);
  }

  private static byte[] readRequired(ResourceId dir, String name, String folder)
      throws IOException {
    try {
      return BundleFiles.read(BundleFiles.file(dir, name));
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new IllegalStateException(
          "Model bundle " + folder + " is incomplete: " + name + " is missing");
    }
  }

  private static byte[] verified(ResourceId dir, String name, JsonNode manifest, String folder)
      throws IOException {
    byte[] bytes = readRequired(dir, name, folder);
    JsonNode expected = manifest.path("sha256").path(name);
    if (expected.isMissingNode() || !expected.asText().equals(BundleFiles.sha256(bytes))) {
      throw new IllegalStateException(
          "Model bundle " + folder + ": " + name + " does not match its manifest checksum");
    }
    return bytes;
  }

  private String metadataJson() {
    ObjectNode meta = MAPPER.createObjectNode();
    meta.putPOJO("featureNames", featureNames);
    meta.put("threshold", threshold);
    ObjectNode metricsNode = meta.putObject("metrics");
    metrics.forEach(metricsNode::put);
    meta.put("trainedFrom", trainedFrom.toString());
    meta.put("trainedTo", trainedTo.toString());
    try {
      meta.set("spec", MAPPER.readTree(UseCaseSpecs.toJson(spec)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return meta.toPrettyString();
  }
}
