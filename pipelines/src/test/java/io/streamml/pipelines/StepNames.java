package io.streamml.pipelines;

import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;

/** The full names of every step a pipeline's graph holds, to check what flags wired in. */
final class StepNames {

  private StepNames() {}

  static Set<String> of(Pipeline pipeline) {
    Set<String> names = new TreeSet<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return names;
  }

  /** The top-level steps whose name ends with {@code suffix}. */
  static Set<String> endingWith(Pipeline pipeline, String suffix) {
    Set<String> matching = new TreeSet<>();
    for (String name : of(pipeline)) {
      if (!name.contains("/") && name.endsWith(suffix)) {
        matching.add(name);
      }
    }
    return matching;
  }
}
