package io.streamml.pipelines.cli;

import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Prints a command's own flags (those of streamml's option interfaces) with their descriptions and
 * defaults; Beam's and the runner's standard flags are summarised, not listed.
 */
final class OptionsHelp {

  private OptionsHelp() {}

  static void print(Class<? extends PipelineOptions> optionsClass, PrintStream out) {
    out.println("Options:");
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    collect(optionsClass, interfaces);
    for (Class<?> iface : interfaces) {
      Method[] getters =
          Arrays.stream(iface.getDeclaredMethods())
              .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
              .sorted(Comparator.comparing(Method::getName))
              .toArray(Method[]::new);
      for (Method getter : getters) {
        String name =
            Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
        Description description = getter.getAnnotation(Description.class);
        String defaultValue = defaultOf(getter);
        out.printf(
            "  --%s=<%s>%n      %s%s%n",
            name,
            getter.getReturnType().getSimpleName(),
            description == null ? "" : description.value(),
            defaultValue == null ? "" : " Default: " + defaultValue + ".");
      }
    }
    out.println();
    out.println(
        "Standard Beam options also apply, e.g. --runner=DirectRunner|FlinkRunner|SparkRunner,");
    out.println("--flinkMaster=[local] or host:port, --sparkMaster=local[2], --parallelism=N.");
  }

  private static void collect(Class<?> iface, Set<Class<?>> into) {
    if (!iface.getName().startsWith("io.streamml.")) {
      return;
    }
    for (Class<?> parent : iface.getInterfaces()) {
      collect(parent, into);
    }
    into.add(iface);
  }

  private static String defaultOf(Method getter) {
    for (Annotation annotation : getter.getAnnotations()) {
      if (annotation instanceof Default.String) {
        return ((Default.String) annotation).value();
      } else if (annotation instanceof Default.Long) {
        return Long.toString(((Default.Long) annotation).value());
      } else if (annotation instanceof Default.Integer) {
        return Integer.toString(((Default.Integer) annotation).value());
      } else if (annotation instanceof Default.Double) {
        return Double.toString(((Default.Double) annotation).value());
      } else if (annotation instanceof Default.Boolean) {
        return Boolean.toString(((Default.Boolean) annotation).value());
      } else if (annotation instanceof Default.Enum) {
        return ((Default.Enum) annotation).value();
      }
    }
    return null;
  }
}
