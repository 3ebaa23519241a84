package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.drift.ReferenceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

  private static TrainingSet data;
  private static XGBoostTrainer.Result trained;
  private static ModelBundle bundle;

  @TempDir Path root;

  @BeforeAll
  static void trainOnce() throws Exception {
    data = XGBoostTrainerTest.simulated(UseCaseSpecs.FRAUD, 6_000);
    trained = XGBoostTrainer.create().withRounds(20).train(data);
    bundle = ModelBundle.of(trained, data, UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD));
  }

  private static float[] predict(Booster booster) throws Exception {
    DMatrix matrix = XGBoostTrainer.matrix(data);
    try {
      return XGBoostTrainer.column(booster.predict(matrix));
    } finally {
      matrix.dispose();
    }
  }

  @Test
  void savedBundlePredictsExactlyLikeTheTrainedBooster() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    String version = registry.register(bundle);

    ModelBundle loaded = registry.loadLatest();
    Booster booster = loaded.loadBooster();
    try {
      assertEquals("v0001", version);
      assertEquals(bundle.featureNames(), loaded.featureNames());
      assertEquals(bundle.threshold(), loaded.threshold());
      assertEquals(bundle.spec(), loaded.spec());
      assertEquals(bundle.trainedTo(), loaded.trainedTo());
      assertArrayEquals(predict(trained.booster), predict(booster));
    } finally {
      booster.dispose();
    }
  }

  @Test
  void versionsIncrementAndLatestMovesWithPromoteAndRollback() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    assertNull(registry.latestVersion());
    registry.register(bundle);
    registry.register(bundle);

    assertEquals(List.of("v0001", "v0002"), registry.versions());
    assertEquals("v0002", registry.latestVersion());
    assertEquals("v0001", registry.rollback());
    assertEquals("v0001", registry.latestVersion());
    registry.promote("v0002");
    assertEquals("v0002", registry.latestVersion());
  }

  @Test
  void tamperedModelFileIsRefusedNamingTheFile() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    Files.writeString(root.resolve("v0001/model.json"), "{}");

    IllegalStateException e = assertThrows(IllegalStateException.class, registry::loadLatest);
    assertEquals(
        "Model bundle " + root + "/v0001: model.json does not match its manifest checksum",
        e.getMessage());
  }

  @Test
  void bundleWithoutManifestIsIncompleteAndCannotBePromoted() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    bundle.writeTo(root.resolve("v0002").toString());
    Files.delete(root.resolve("v0002/manifest.json"));

    assertEquals(List.of("v0001"), registry.versions());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> registry.promote("v0002"));
    assertEquals(
        "Model bundle " + root + "/v0002 is incomplete: manifest.json is missing", e.getMessage());
    assertEquals("v0001", registry.latestVersion());
  }

  @Test
  void readersNeverSeeAHalfPromotedRegistry() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    registry.register(bundle);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> promoter =
          pool.submit(
              () -> {
                for (int i = 0; i < 50; i++) {
                  registry.promote(i % 2 == 0 ? "v0001" : "v0002");
                }
                return null;
              });
      Future<?> reader =
          pool.submit(
              () -> {
                for (int i = 0; i < 50; i++) {
                  ModelBundle loaded = ModelRegistry.at(root.toString()).loadLatest();
                  assertEquals(bundle.featureNames(), loaded.featureNames());
                }
                return null;
              });
      promoter.get();
      reader.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bundleCarriesTheReferenceProfileOfItsTrainingRows() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);

    ReferenceProfile profile = registry.loadLatest().profile().orElseThrow();
    assertEquals(bundle.profile().orElseThrow(), profile);
    assertEquals(bundle.featureNames(), profile.featureNames());
    assertEquals(data.size(), profile.rows());
    float[] scores = XGBoostTrainer.predict(trained.booster, data);
    assertEquals(data.size(), profile.score().count());
    assertEquals(
        IntStream.range(0, scores.length).mapToDouble(i -> scores[i]).max().orElseThrow(),
        profile.score().max(),
        1e-7);
    assertTrue(Files.exists(root.resolve("v0001/profile.json")));
    assertTrue(Files.readString(root.resolve("v0001/manifest.json")).contains("profile.json"));
  }

  @Test
  void tamperedProfileIsRefusedNamingTheFile() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    Files.writeString(root.resolve("v0001/profile.json"), "{}");

    IllegalStateException e = assertThrows(IllegalStateException.class, registry::loadLatest);
    assertEquals(
        "Model bundle " + root + "/v0001: profile.json does not match its manifest checksum",
        e.getMessage());
  }

  @Test
  void bundleFromBeforeProfilesLoadsWithoutOne() throws Exception {
    ModelBundle old =
        new ModelBundle(
            trained.booster.toByteArray("json"),
            bundle.featureNames(),
            bundle.spec(),
            bundle.metrics(),
            bundle.threshold(),
            bundle.trainedFrom(),
            bundle.trainedTo());
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(old);

    assertFalse(Files.exists(root.resolve("v0001/profile.json")));
    assertTrue(registry.loadLatest().profile().isEmpty());
  }

  @Test
  void readersNeverSeeAHalfWrittenBundleWhileNewVersionsRegister() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                for (int i = 0; i < 15; i++) {
                  registry.register(bundle);
                }
                return null;
              });
      Future<Integer> reader =
          pool.submit(
              () -> {
                int loads = 0;
                ModelRegistry other = ModelRegistry.at(root.toString());
                while (!writer.isDone() || loads == 0) {
                  ModelBundle loaded = other.loadLatest();
                  assertEquals(bundle.profile(), loaded.profile());
                  for (String version : other.versions()) {
                    other.load(version); // every listed version is complete
                  }
                  loads++;
                }
                return loads;
              });
      writer.get();
      assertTrue(reader.get() > 0);
      assertEquals(16, registry.versions().size());
    } finally {
      pool.shutdownNow();
    }
  }
}
