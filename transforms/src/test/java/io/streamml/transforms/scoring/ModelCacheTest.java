package io.streamml.transforms.scoring;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import ml.dmlc.xgboost4j.java.Booster;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The JVM-wide booster cache: two versions of a registry stay loaded side by side (a swap in flight
 * does not reload either), a third evicts the least recently used one, and an evicted booster's
 * native memory is freed, at once if unused or when its last batch releases it.
 */
@RunWith(JUnit4.class)
public class ModelCacheTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static String root;

  @BeforeClass
  public static void registerThreeVersions() throws Exception {
    root = FOLDER.newFolder("registry").toString();
    Booster booster = ScoringFixtures.train(5, false);
    for (int i = 0; i < 3; i++) {
      ScoringFixtures.register(root, booster, 0.5);
    }
    booster.dispose();
  }

  @After
  public void clear() {
    ModelCache.clear();
  }

  private static LoadedModel acquire(String version) throws Exception {
    return ModelCache.acquire(root + "/" + version, version);
  }

  @Test
  public void twoVersionsInFlightDoNotReloadEachOther() throws Exception {
    LoadedModel first = acquire("v0001");
    LoadedModel second = acquire("v0002");
    ModelCache.release(first);
    ModelCache.release(second);
    for (int i = 0; i < 5; i++) {
      LoadedModel again1 = acquire("v0001");
      LoadedModel again2 = acquire("v0002");
      assertSame(first, again1);
      assertSame(second, again2);
      ModelCache.release(again1);
      ModelCache.release(again2);
    }
    assertFalse(first.isDisposed());
    assertFalse(second.isDisposed());
  }

  @Test
  public void aThirdVersionEvictsAndFreesTheLeastRecentlyUsedOne() throws Exception {
    LoadedModel first = acquire("v0001");
    LoadedModel second = acquire("v0002");
    ModelCache.release(second);
    ModelCache.release(first);
    ModelCache.release(acquire("v0001")); // v0001 is now the more recently used of the two

    LoadedModel third = acquire("v0003");
    ModelCache.release(third);

    assertTrue("v0002 evicted and freed", second.isDisposed());
    assertFalse(ModelCache.isLoaded(root + "/v0002"));
    assertFalse(first.isDisposed());
    assertFalse(third.isDisposed());
    LoadedModel reloaded = acquire("v0002");
    assertNotSame(second, reloaded);
    ModelCache.release(reloaded);
  }

  @Test
  public void anEvictedBoosterInUseIsFreedWhenItsLastBatchReleasesIt() throws Exception {
    LoadedModel first = acquire("v0001"); // a batch still scoring with v0001
    ModelCache.release(acquire("v0002"));
    ModelCache.release(acquire("v0003"));

    assertFalse(ModelCache.isLoaded(root + "/v0001"));
    assertFalse("in use: not freed yet", first.isDisposed());
    ModelCache.release(first);
    assertTrue(first.isDisposed());
  }
}
