package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The registry poller's choice: LATEST's version only once it loads, passes its manifest check and
 * fits the input; otherwise the last good version, with the failure reported.
 */
@RunWith(JUnit4.class)
public class LastGoodVersionTest {

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private String root;
  private LastGoodVersion versions;
  private final List<String> failures = new ArrayList<>();

  @Before
  public void registerTwoVersions() throws Exception {
    root = folder.newFolder("registry").toString();
    Booster booster = ScoringFixtures.train(5, false);
    ScoringFixtures.register(root, booster, 0.5);
    ScoringFixtures.register(root, booster, 0.5);
    booster.dispose();
    writeLatest("v0001");
    versions = new LastGoodVersion(root, new FeatureLayout(ScoringFixtures.VECTOR_SCHEMA), "v0001");
  }

  @AfterClass
  public static void free() {
    ModelCache.clear();
  }

  private void writeLatest(String text) throws Exception {
    Files.writeString(Paths.get(root, "LATEST"), text + "\n");
  }

  private String poll() {
    return versions.poll(failures::add);
  }

  @Test
  public void aGoodPromotedVersionReplacesTheOneInUse() throws Exception {
    assertEquals("v0001", poll());
    writeLatest("v0002");
    assertEquals("v0002", poll());
    assertEquals(List.of(), failures);
  }

  @Test
  public void aMissingVersionKeepsTheLastGoodOne() throws Exception {
    writeLatest("v0007");
    assertEquals("v0001", poll());
    assertEquals("v0001", poll());

    assertEquals(2, failures.size());
    assertTrue(failures.get(0), failures.get(0).startsWith("Model registry " + root));
    assertTrue(failures.get(0), failures.get(0).contains("LATEST names v0007, but it cannot"));
    assertTrue(failures.get(0), failures.get(0).endsWith("; still scoring with v0001"));
  }

  @Test
  public void aTamperedVersionKeepsTheLastGoodOne() throws Exception {
    Files.writeString(Paths.get(root, "v0002", "model.json"), "{}");
    writeLatest("v0002");
    assertEquals("v0001", poll());
    assertTrue(failures.get(0), failures.get(0).contains("model.json does not match its manifest"));
  }

  @Test
  public void aHalfWrittenBundleIsPickedUpOnceComplete() throws Exception {
    Path manifest = Paths.get(root, "v0002", "manifest.json");
    Path aside = Paths.get(root, "manifest.aside");
    Files.move(manifest, aside);
    writeLatest("v0002");
    assertEquals("v0001", poll());
    assertTrue(failures.get(0), failures.get(0).contains("incomplete: manifest.json is missing"));

    Files.move(aside, manifest);
    assertEquals("v0002", poll());
    assertEquals(1, failures.size());
  }

  @Test
  public void aLatestThatIsNotAVersionKeepsTheLastGoodOne() throws Exception {
    writeLatest("../../etc");
    assertEquals("v0001", poll());
    assertTrue(
        failures.get(0),
        failures.get(0).contains("LATEST names '../../etc', which is not a model"));
    Files.delete(Paths.get(root, "LATEST"));
    assertEquals("v0001", poll());
    assertTrue(failures.get(1), failures.get(1).contains(root + " has no LATEST"));
  }

  @Test
  public void aVersionWhoseFeaturesDoNotFitKeepsTheLastGoodOne() throws Exception {
    Booster booster = ScoringFixtures.train(5, false);
    io.streamml.transforms.model.ModelBundle bundle = ScoringFixtures.bundle(booster, 0.5);
    List<String> renamed = new ArrayList<>(ScoringFixtures.FEATURES);
    renamed.set(0, "not_a_feature");
    new io.streamml.transforms.model.ModelBundle(
            booster.toByteArray("json"),
            renamed,
            bundle.spec(),
            bundle.metrics(),
            0.5,
            bundle.trainedFrom(),
            bundle.trainedTo())
        .writeTo(root + "/v0003");
    booster.dispose();
    writeLatest("v0003");
    assertEquals("v0001", poll());
    assertTrue(failures.get(0), failures.get(0).contains("needs features [not_a_feature]"));
  }
}
