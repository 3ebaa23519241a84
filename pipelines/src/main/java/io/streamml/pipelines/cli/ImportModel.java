package io.streamml.pipelines.cli;

import io.streamml.pipelines.EventInputs;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelImport;
import io.streamml.transforms.model.ModelRegistry;
import java.io.PrintStream;
import java.util.List;

/** {@code streamml models import}: registers a model trained elsewhere, see {@link ModelImport}. */
final class ImportModel {

  private ImportModel() {}

  static <T extends ImportModelOptions & UseCaseOptions> void run(
      T options, ModelRegistry registry, PrintStream out) throws Exception {
    if (options.getModelFile() == null) {
      throw new IllegalArgumentException("import needs --modelFile=PATH (XGBoost JSON or UBJ)");
    }
    if (options.getData() == null) {
      throw new IllegalArgumentException(
          "import needs --data=PATH (JSON-lines rows to compute the reference profile from)");
    }
    if (options.getFeatures() != null && options.getFeaturesFile() != null) {
      throw new IllegalArgumentException("give --features or --featuresFile, not both");
    }
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    List<String> features = featureNames(options, spec);
    byte[] model = ModelImport.readModelFile(options.getModelFile());
    ModelImport.Format format = ModelImport.detectFormat(model, options.getModelFile());
    ModelBundle bundle =
        ModelImport.bundle(
            model,
            options.getModelFile(),
            features,
            spec,
            ModelImport.readDataFile(options.getData()),
            options.getData(),
            options.getThreshold());
    String version = registry.register(bundle, options.getPromote());
    out.printf(
        "model %s imported from %s (%s, %d features) for %s%s%n",
        version,
        options.getModelFile(),
        format,
        features.size(),
        spec.name(),
        options.getPromote() ? " (now LATEST)" : " (not promoted; LATEST unchanged)");
    out.printf("  %-24s %.4f%n", "threshold", bundle.threshold());
    bundle.metrics().forEach((name, value) -> out.printf("  %-24s %.4f%n", name, value));
  }

  private static List<String> featureNames(ImportModelOptions options, UseCaseSpec spec)
      throws Exception {
    if (options.getFeaturesFile() != null) {
      return ModelImport.readFeatureList(options.getFeaturesFile());
    }
    if (options.getFeatures() != null) {
      return ModelImport.parseFeatureList(options.getFeatures());
    }
    if (spec.features() == null) {
      throw new IllegalArgumentException(
          "Use case '" + spec.name() + "' declares no features: give --features=a,b,c");
    }
    return spec.features().names();
  }
}
