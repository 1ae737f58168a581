package dev.adjoint.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;
import org.junit.jupiter.api.Test;

/** junit-jupiter-api is optional for users of the runtime: only assertions may need it. */
class WithoutJUnitTest {
  @Test
  void checksAndReportsWorkWithoutJUnitOnTheClassPath() throws Exception {
    URL[] runtimeAndCommonsMath = {
      GradientChecker.class.getProtectionDomain().getCodeSource().getLocation(),
      FiniteDifferencesDifferentiator.class.getProtectionDomain().getCodeSource().getLocation()
    };
    try (URLClassLoader withoutJUnit =
        new URLClassLoader(runtimeAndCommonsMath, ClassLoader.getPlatformClassLoader())) {
      assertThrows(
          ClassNotFoundException.class,
          () -> withoutJUnit.loadClass("org.opentest4j.AssertionFailedError"));

      Class<?> checkerClass = withoutJUnit.loadClass(GradientChecker.class.getName());
      Object checker = checkerClass.getMethod("withDefaults").invoke(null);
      Method check =
          checkerClass.getMethod("check", ToDoubleFunction.class, double[].class, double[].class);
      ToDoubleFunction<double[]> square = p -> p[0] * p[0];
      Object report = check.invoke(checker, square, new double[] {3}, new double[] {5});

      Class<?> reportClass = report.getClass();
      assertFalse((Boolean) reportClass.getMethod("passed").invoke(report));
      assertTrue(report.toString().contains("point[0]: analytic 5.0"), report::toString);

      // Only asking for a JUnit failure needs JUnit.
      InvocationTargetException failure =
          assertThrows(
              InvocationTargetException.class,
              () -> reportClass.getMethod("assertPassed").invoke(report));
      NoClassDefFoundError missing =
          assertInstanceOf(NoClassDefFoundError.class, failure.getCause());
      assertEquals("org/opentest4j/AssertionFailedError", missing.getMessage());
    }
  }
}
