package dev.adjoint.runtime.check;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one gradient check: every compared component, and a readable summary in {@link
 * #toString()} that names the failing components.
 */
public final class GradientReport {
  // Enough to find the pattern in a failure; the count of the rest is still printed.
  private static final int LISTED_FAILURES = 20;

  private final List<ComponentCheck> components;
  private final List<ComponentCheck> failures;
  private final ComponentCheck worst;
  private final String settings;

  /**
   * @param components every compared component, in input order; not empty
   * @param settings the tolerances and difference scheme, as they should appear in the text
   */
  GradientReport(List<ComponentCheck> components, String settings) {
    this.components = List.copyOf(components);
    this.failures = this.components.stream().filter(component -> !component.passed()).toList();
    this.worst =
        this.components.stream().max(Comparator.comparingDouble(ComponentCheck::severity)).get();
    this.settings = settings;
  }

  /**
   * Whether every component is within tolerance.
   *
   * @return true if nothing failed
   */
  public boolean passed() {
    return failures.isEmpty();
  }

  /**
   * The component furthest beyond its tolerance (a non-finite one first), or, when all pass, the
   * one closest to failing.
   *
   * @return the worst component
   */
  public ComponentCheck worst() {
    return worst;
  }

  /**
   * The components out of tolerance or not finite.
   *
   * @return an unmodifiable list, in input order; empty if the check passed
   */
  public List<ComponentCheck> failures() {
    return failures;
  }

  /**
   * Every compared component.
   *
   * @return an unmodifiable list, input by input, and for each input output by output
   */
  public List<ComponentCheck> components() {
    return components;
  }

  /**
   * Fails the calling JUnit test unless the check passed.
   *
   * @throws org.opentest4j.AssertionFailedError with {@link #toString()} as its message, if any
   *     component failed
   */
  public void assertPassed() {
    if (!passed()) {
      // Through GradientAssertions so that this class never refers to the optional JUnit classes.
      GradientAssertions.fail(toString());
    }
  }

  /**
   * A summary: on the first line the verdict and the worst component (test runners often show only
   * that line), then the criterion, then the failing components (the first few).
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    if (passed()) {
      text.append("Gradient check passed for all ").append(components.size()).append(" components");
    } else {
      text.append("Gradient check FAILED for ")
          .append(failures.size())
          .append(" of ")
          .append(components.size())
          .append(" components");
    }
    text.append("; worst ").append(worst).append('\n');
    text.append("Criterion: ").append(settings);
    if (!passed()) {
      text.append("\nFailing components:");
      failures.stream()
          .limit(LISTED_FAILURES)
          .forEach(failure -> text.append("\n  ").append(failure));
      if (failures.size() > LISTED_FAILURES) {
        text.append("\n  ... and ").append(failures.size() - LISTED_FAILURES).append(" more");
      }
    }
    return text.toString();
  }
}
