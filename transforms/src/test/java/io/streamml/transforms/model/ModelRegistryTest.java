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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
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

  /** Whether {@code loaded} is {@code expected} in every part a reader uses. */
  private static boolean same(ModelBundle expected, ModelBundle loaded) {
    return expected.featureNames().equals(loaded.featureNames())
        && expected.threshold() == loaded.threshold()
        && expected.metrics().equals(loaded.metrics())
        && expected.trainedFrom().equals(loaded.trainedFrom())
        && expected.trainedTo().equals(loaded.trainedTo())
        && expected.profile().equals(loaded.profile());
  }

  @Test
  void readersNeverSeeAHalfPromotedRegistry() throws Exception {
    XGBoostTrainer.Result other =
        XGBoostTrainer.create().withRounds(3).withAlertRate(0.2).train(data);
    ModelBundle second = ModelBundle.of(other, data, UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD));
    other.booster.dispose();
    assertFalse(same(bundle, second), "the two bundles differ");
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    registry.register(second);
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
      Future<int[]> reader =
          pool.submit(
              () -> {
                int[] seen = new int[2];
                for (int i = 0; i < 50; i++) {
                  ModelBundle loaded = ModelRegistry.at(root.toString()).loadLatest();
                  boolean first = same(bundle, loaded);
                  boolean last = same(second, loaded);
                  assertTrue(first ^ last, "load " + i + " is exactly one of the two bundles");
                  seen[first ? 0 : 1]++;
                }
                return seen;
              });
      promoter.get();
      int[] seen = reader.get();
      assertEquals(50, seen[0] + seen[1]);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentRegistersFromSeparateInstancesNeverShareAVersion() throws Exception {
    int writers = 3;
    int each = 5;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        results.add(
            pool.submit(
                () -> {
                  ModelRegistry own = ModelRegistry.at(root.toString()); // as another process would
                  start.await();
                  List<String> versions = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    versions.add(own.register(bundle, false));
                  }
                  return versions;
                }));
      }
      start.countDown();
      Set<String> claimed = new TreeSet<>();
      for (Future<List<String>> result : results) {
        for (String version : result.get()) {
          assertTrue(claimed.add(version), "claimed twice: " + version);
        }
      }
      ModelRegistry registry = ModelRegistry.at(root.toString());
      assertEquals(new ArrayList<>(claimed), registry.versions());
      assertEquals(writers * each, claimed.size());
      for (String version : claimed) {
        assertTrue(same(bundle, registry.load(version)), version);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFolderBeingWrittenKeepsItsNumber() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    Files.createDirectory(root.resolve("v0002")); // another writer's bundle, no manifest yet

    assertEquals("v0003", registry.register(bundle));
    assertEquals(List.of("v0001", "v0003"), registry.versions());
  }

  @Test
  void aLatestThatIsNotAVersionIsRefusedNamingIt() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    Files.writeString(root.resolve("LATEST"), "../outside\n");

    IllegalStateException e = assertThrows(IllegalStateException.class, registry::latestVersion);
    assertEquals(
        "Model registry "
            + root
            + ": LATEST names '../outside', which is not a model version (vNNNN)",
        e.getMessage());
    assertThrows(IllegalStateException.class, registry::loadLatest);
    Files.writeString(root.resolve("LATEST"), "/etc/passwd\n");
    assertThrows(IllegalStateException.class, registry::latestVersion);
  }

  @Test
  void versionsThatAreNotVersionNamesNeverReachTheFilesystem() throws Exception {
    ModelRegistry registry = ModelRegistry.at(root.toString());
    registry.register(bundle);
    for (String bad :
        List.of("../v0001", "/tmp/v0001", "v0001/../../x", "..", "", "v1", "v0001 ")) {
      IllegalArgumentException load =
          assertThrows(IllegalArgumentException.class, () -> registry.load(bad), bad);
      assertEquals(
          "Not a model version: '" + bad + "' (expected v and four or more digits, e.g. v0001)",
          load.getMessage());
      assertThrows(IllegalArgumentException.class, () -> registry.promote(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> registry.folderOf(bad), bad);
    }
    assertEquals(root + "/v0001", registry.folderOf("v0001"));
    assertEquals("gs://b/r/v0012", ModelRegistry.versionFolder("gs://b/r/", "v0012"));
    assertEquals("v0001", registry.latestVersion());
  }

  @Test
  void normalizeResolvesDotSegments() {
    assertEquals("/a/c", ModelRegistry.normalize("/a/b/../c"));
    assertEquals("/x", ModelRegistry.normalize("/a/../../x"));
    assertEquals("gs://b/r/v0001", ModelRegistry.normalize("gs://b/r/./v0001"));
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
