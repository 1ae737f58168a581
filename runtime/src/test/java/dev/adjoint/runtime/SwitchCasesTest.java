package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The case a String or enum selector enters, as Java's switch picks it. */
class SwitchCasesTest {
  @Test
  void stringsAreComparedByEqualsInLabelOrder() {
    assertEquals(0, SwitchCases.indexOf("line", "line", "square", "sq"));
    assertEquals(2, SwitchCases.indexOf(new String("sq"), "line", "square", "sq"));
    assertEquals(-1, SwitchCases.indexOf("Line", "line", "square"));
    assertEquals(-1, SwitchCases.indexOf("", new Object[0]));
  }

  @Test
  void enumsAreFoundByIdentity() {
    assertEquals(1, SwitchCases.indexOf(TimeUnit.SECONDS, TimeUnit.MILLISECONDS, TimeUnit.SECONDS));
    assertEquals(-1, SwitchCases.indexOf(TimeUnit.DAYS, TimeUnit.MILLISECONDS, TimeUnit.SECONDS));
  }

  @Test
  void aNullSelectorThrowsAsASwitchDoes() {
    assertThrows(NullPointerException.class, () -> SwitchCases.indexOf(null, "a", "b"));
  }
}
