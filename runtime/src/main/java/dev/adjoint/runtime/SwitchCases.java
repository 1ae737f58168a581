package dev.adjoint.runtime;

import java.util.Objects;

/**
 * What generated code calls for a {@code switch} over a String or an enum: the index of the case
 * label the selector equals, which the derivative code then switches on as on an int.
 */
public final class SwitchCases {
  private SwitchCases() {}

  /**
   * The index of the first label equal to {@code selector} ({@code equals}, which is identity for
   * an enum), or -1 when none is (the switch's default).
   *
   * @throws NullPointerException when {@code selector} is null, as a switch over it throws
   */
  public static int indexOf(Object selector, Object... labels) {
    Objects.requireNonNull(selector, "the selector of a switch");
    for (int i = 0; i < labels.length; i++) {
      if (selector.equals(labels[i])) {
        return i;
      }
    }
    return -1;
  }
}
