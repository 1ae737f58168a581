package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class TapeTest {
  @Test
  void newTapeIsEmpty() {
    assertTrue(new Tape().isEmpty());
  }

  @Test
  void doublesComeBackInReverseOrderAcrossGrowth() {
    Tape tape = new Tape();
    int count = 1000; // several doublings past the first capacity
    for (int i = 0; i < count; i++) {
      tape.pushDouble(i * 0.5);
    }
    for (int i = count - 1; i >= 0; i--) {
      assertEquals(i * 0.5, tape.popDouble());
    }
    assertTrue(tape.isEmpty());
  }

  @Test
  void doublesKeepTheirExactBits() {
    Tape tape = new Tape();
    double[] specials = {-0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
    for (double special : specials) {
      tape.pushDouble(special);
    }
    for (int i = specials.length - 1; i >= 0; i--) {
      assertEquals(
          Double.doubleToRawLongBits(specials[i]), Double.doubleToRawLongBits(tape.popDouble()));
    }
  }

  @Test
  void intsAndBooleansShareOneStackInReverseOrder() {
    Tape tape = new Tape();
    for (int i = 0; i < 100; i++) {
      tape.pushInt(i);
      tape.pushBoolean(i % 3 == 0);
    }
    for (int i = 99; i >= 0; i--) {
      assertEquals(i % 3 == 0, tape.popBoolean());
      assertEquals(i, tape.popInt());
    }
    assertTrue(tape.isEmpty());
  }

  @Test
  void doubleAndIntStacksAreIndependent() {
    Tape tape = new Tape();
    tape.pushDouble(1.5);
    tape.pushInt(7);
    tape.pushDouble(2.5);
    assertEquals(2.5, tape.popDouble());
    assertEquals(1.5, tape.popDouble());
    assertFalse(tape.isEmpty(), "the int is still there");
    assertEquals(7, tape.popInt());
    assertTrue(tape.isEmpty());
  }

  @Test
  void poppingAnEmptyStackThrowsAndNamesTheOperation() {
    Tape tape = new Tape();
    tape.pushInt(1); // a value on the other stack must not satisfy popDouble
    IllegalStateException error = assertThrows(IllegalStateException.class, tape::popDouble);
    assertTrue(
        error.getMessage().contains("popDouble() on an empty double stack"), error::getMessage);

    Tape empty = new Tape();
    assertThrows(IllegalStateException.class, empty::popInt);
    IllegalStateException booleanError =
        assertThrows(IllegalStateException.class, empty::popBoolean);
    assertTrue(booleanError.getMessage().contains("popBoolean()"), booleanError::getMessage);
  }

  @Test
  void clearEmptiesBothStacksAndTheTapeStaysUsable() {
    Tape tape = new Tape();
    tape.pushDouble(1);
    tape.pushBoolean(true);
    tape.clear();
    assertTrue(tape.isEmpty());
    assertThrows(IllegalStateException.class, tape::popDouble);
    tape.pushDouble(3);
    assertEquals(3, tape.popDouble());
  }

  @Test
  void aWarmTapeAllocatesNothing() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no allocation counter");
    com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
    assumeTrue(allocations.isThreadAllocatedMemorySupported());
    allocations.setThreadAllocatedMemoryEnabled(true);

    Tape tape = new Tape();
    simulateCalls(tape, 1000); // warm: grows the stacks and lets the JIT settle
    long before = allocations.getCurrentThreadAllocatedBytes();
    simulateCalls(tape, 1000);
    long allocated = allocations.getCurrentThreadAllocatedBytes() - before;

    // Growing afresh would take over 8 KB per call; the slack covers the counter's own reads.
    assertTrue(allocated < 1024, "a reused tape allocated " + allocated + " bytes");
  }

  /** Records and replays like generated code, {@code calls} times on one reused tape. */
  private static void simulateCalls(Tape tape, int calls) {
    for (int call = 0; call < calls; call++) {
      for (int i = 0; i < 1000; i++) {
        tape.pushDouble(i);
        tape.pushInt(i);
        tape.pushBoolean(true);
      }
      for (int i = 0; i < 1000; i++) {
        tape.popBoolean();
        tape.popInt();
        tape.popDouble();
      }
      tape.clear();
    }
  }
}
