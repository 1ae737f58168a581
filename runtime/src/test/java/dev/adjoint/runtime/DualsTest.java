package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The values forward mode returns for vector- and matrix-valued methods, and the tape H·v borrows. */
class DualsTest {

  @Test
  void aDualVectorComparesItsArraysByContent() {
    DualVector a = new DualVector(new double[] {1, 2}, new double[] {3, 4});
    DualVector b = new DualVector(new double[] {1, 2}, new double[] {3, 4});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, new DualVector(new double[] {1, 2}, new double[] {3, 5}));
    assertEquals("DualVector[value=[1.0, 2.0], derivative=[3.0, 4.0]]", a.toString());
  }

  @Test
  void aDualVectorNeedsADerivativePerValue() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new DualVector(new double[] {1, 2}, new double[] {3}));
    assertEquals("value has 2 entries but derivative has 1", error.getMessage());
  }

  @Test
  void aDualMatrixNeedsADerivativeOfTheValuesShape() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new DualMatrix(Matrix.zeros(2, 3), Matrix.zeros(3, 2)));
    assertTrue(error.getMessage().contains(Matrix.zeros(2, 3).shape()), error.getMessage());
    assertTrue(error.getMessage().contains(Matrix.zeros(3, 2).shape()), error.getMessage());
  }

  @Test
  void aBorrowedTapeIsTheThreadsSpareUnlessItIsInUse() {
    Tape first = Tape.borrow();
    first.pushDouble(1.5);
    Tape nested = Tape.borrow();
    assertNotSame(first, nested, "the spare is in use: a nested call gets a tape of its own");
    Tape.giveBack(first);
    Tape again = Tape.borrow();
    assertSame(first, again, "given back, the spare is lent again");
    assertThrows(IllegalStateException.class, again::popDouble, "and it comes back empty");
    Tape.giveBack(again);
  }
}
