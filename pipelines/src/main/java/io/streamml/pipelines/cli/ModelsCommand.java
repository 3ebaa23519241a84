package io.streamml.pipelines.cli;

import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.transforms.drift.FeatureReference;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;

/**
 * {@code streamml models list|show|promote|rollback|import}: inspect the registry, move LATEST, and
 * register a model trained elsewhere.
 */
final class ModelsCommand implements Command<ModelsCommand.Options> {

  /** The models command's flags. */
  public interface Options extends RegistryOptions, UseCaseOptions, ImportModelOptions {
    @Description("Model version for show and promote (e.g. v0002); show defaults to LATEST.")
    String getVersion();

    void setVersion(String value);
  }

  @Override
  public String name() {
    return "models";
  }

  @Override
  public String summary() {
    return "list, show, promote, roll back or import (bring your own) registered models";
  }

  @Override
  public List<String> actions() {
    return List.of("list", "show", "promote", "rollback", "import");
  }

  @Override
  public Class<Options> optionsClass() {
    return Options.class;
  }

  @Override
  public void run(Options options, String action, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    ModelRegistry registry = ModelRegistry.at(options.getRegistry());
    String latest = registry.latestVersion();
    switch (action) {
      case "list":
        for (String version : registry.versions()) {
          ModelBundle bundle = registry.load(version);
          out.printf(
              "%s%s  %-12s auc_roc=%.4f  trained %s .. %s%n",
              version,
              version.equals(latest) ? " (LATEST)" : "         ",
              bundle.spec().name(),
              bundle.metrics().getOrDefault("auc_roc", Double.NaN),
              bundle.trainedFrom(),
              bundle.trainedTo());
        }
        break;
      case "show":
        String version = options.getVersion() != null ? options.getVersion() : latest;
        if (version == null) {
          throw new IllegalArgumentException("No models in " + options.getRegistry());
        }
        ModelBundle bundle = registry.load(version);
        out.printf(
            "%s of %s%s%n",
            version, bundle.spec().name(), version.equals(latest) ? " (LATEST)" : "");
        out.printf("  trained on  %s .. %s%n", bundle.trainedFrom(), bundle.trainedTo());
        out.printf("  threshold   %.4f%n", bundle.threshold());
        out.printf("  features    %s%n", bundle.featureNames());
        bundle.metrics().forEach((name, value) -> out.printf("  %-24s %.4f%n", name, value));
        printProfile(bundle, out);
        break;
      case "import":
        ImportModel.run(options, registry, out);
        break;
      case "promote":
        if (options.getVersion() == null) {
          throw new IllegalArgumentException("promote needs --version=vNNNN");
        }
        registry.promote(options.getVersion());
        out.printf("LATEST is now %s%n", options.getVersion());
        break;
      default:
        out.printf("LATEST is now %s%n", registry.rollback());
        break;
    }
  }

  /** One line per feature and for the score: enough to eyeball the drift baseline. */
  private static void printProfile(ModelBundle bundle, PrintStream out) {
    if (bundle.profile().isEmpty()) {
      out.println("  reference profile: none (bundle written before profiles; retrain or import)");
      return;
    }
    ReferenceProfile profile = bundle.profile().get();
    out.printf(
        "  reference profile: %d rows, up to %d quantile bins per feature%n",
        profile.rows(), profile.bins());
    out.printf(
        "    %-24s %6s %8s %10s %10s %10s %10s %10s%n",
        "feature", "bins", "missing", "mean", "std", "min", "median", "max");
    for (FeatureReference feature : profile.features()) {
      printReference(feature, out);
    }
    printReference(profile.score(), out);
    for (FeatureReference field : profile.categories()) {
      long[] counts = field.counts();
      StringBuilder shares = new StringBuilder();
      for (int i = 0; i < field.categories().size(); i++) {
        shares.append(String.format(" %s %.1f%%", field.categories().get(i), share(counts, i)));
      }
      out.printf("    %-24s categories:%s%n", field.name(), shares);
    }
  }

  private static double share(long[] counts, int i) {
    long total = java.util.Arrays.stream(counts).sum();
    return total == 0 ? 0 : 100.0 * counts[i] / total;
  }

  private static void printReference(FeatureReference ref, PrintStream out) {
    out.printf(
        "    %-24s %6d %7.2f%% %10.4g %10.4g %10.4g %10.4g %10.4g%n",
        ref.name(),
        ref.numBins(),
        100 * ref.missingShare(),
        ref.mean(),
        ref.stdDev(),
        ref.min(),
        ref.quantile(0.5),
        ref.max());
  }
}
